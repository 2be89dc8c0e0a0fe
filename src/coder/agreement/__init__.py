"""agreement (built in a later issue)."""
