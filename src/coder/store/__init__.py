"""The project store: SQLAlchemy Core over SQLite, one transaction per user action."""
