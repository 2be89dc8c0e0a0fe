"""tui (built in a later issue)."""
