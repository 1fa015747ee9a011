"""SQLite storage: connection management, migrations and repositories."""
