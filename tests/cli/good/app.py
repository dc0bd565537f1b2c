"""A placeholder application for the CLI test spec."""

print("hello from the cli fixture")
