"""HTTP layer: FastAPI routes, typed dependencies, middleware and error handling."""
