"""Web UI stub."""
