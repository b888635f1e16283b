"""Storage: SQLAlchemy models, data-access functions and Alembic migrations."""
