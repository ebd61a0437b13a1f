"""What the process runs on: settings, services, logs, metrics, the health endpoint."""
