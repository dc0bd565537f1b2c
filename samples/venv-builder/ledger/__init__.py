"""A double-entry ledger over HTTP."""
