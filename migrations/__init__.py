"""Alembic environment and versions; the single source of the schema."""
