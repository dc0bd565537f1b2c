"""The command-line tool of the custom-steps golden case."""
