"""export (built in a later issue)."""
