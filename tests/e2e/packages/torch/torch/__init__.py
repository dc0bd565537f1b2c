"""Stand-in for torch in imageplan's end-to-end tests: only its version."""

__version__ = "2.0.1"
