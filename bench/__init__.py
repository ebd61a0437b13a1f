"""Benchmarks that print figures; run each from the repository root: python -m bench.<name>."""
