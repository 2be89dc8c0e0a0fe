"""suggest (built in a later issue)."""
