"""Sums numbers with a C extension and counts words."""
