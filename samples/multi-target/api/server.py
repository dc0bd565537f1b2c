"""API server stub."""
