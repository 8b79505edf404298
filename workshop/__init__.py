"""Workshops: named scenarios kept in an embedded SQLite database under an unguessable code (pure, no UI)."""
