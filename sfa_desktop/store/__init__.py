"""The desktop client's local store: one SQLite file per profile.

Layout (each module says more in its own docstring):

* ``paths`` — where a profile lives (``--data-dir`` > ``SFA_DATA_DIR`` > platform folder;
  the demo profile apart) and the database file in it.
* ``database`` — :func:`~.database.open_database` → :class:`~.database.Database` (engine,
  ``session()`` context manager, ``close()``). Connection settings (WAL, busy timeout…).
* ``preflight`` — checks run on an existing file *before* anything writes to it; with
  ``lockfile`` (one app instance per profile) they raise the errors in ``errors``.
* ``errors`` — :class:`~.errors.StoreError` and subclasses, each with a stable ``code``.
* ``migrator`` + ``migrations/`` — Alembic configured in code, migrations shipped in the
  package. ``STORE_SCHEMA_VERSION`` is the local schema version.
* ``models/`` — SQLAlchemy 2.0 typed models, one per catalog entity
  (``MODEL_BY_ENTITY``), plus the local ``app_meta`` table; ``types`` holds the UTC datetime
  and exact decimal column types; ``meta`` the ``get_meta``/``set_meta`` helpers.
* ``search`` — FTS5 search over accounts and contacts (LIKE fallback without FTS5).
* ``repositories/`` — keyword-only functions taking a session and returning frozen
  dataclasses or dicts, never ORM objects: ``records`` (generic CRUD by entity name, the one
  write path for synced records), ``accounts`` and ``contacts`` (paged, sorted, searched lists).

Nothing here imports Qt; the UI runs store calls on its database worker thread.
"""
