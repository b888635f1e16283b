"""Qt item models over the local store (paged SQL, rows are plain dataclasses)."""
