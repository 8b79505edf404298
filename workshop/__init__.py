"""Workshops: named scenarios kept under an unguessable code in SQLite (embedded default) or PostgreSQL
(replicas), pure (no UI). ``python -m workshop backup|restore FILE``: see ``workshop.cli``."""
