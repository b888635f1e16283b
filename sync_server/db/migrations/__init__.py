"""Alembic environment and revisions of the server database."""
