"""FastAPI routes, one module per area."""
