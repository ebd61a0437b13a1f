"""Digests: composing them, the delivery ledger, the exactly-once engine, the sender."""
