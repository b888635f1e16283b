"""Repositories: keyword-only functions taking a session and returning plain frozen rows."""
