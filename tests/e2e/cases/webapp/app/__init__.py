"""A web service answering /health and / with what it knows of its model."""
