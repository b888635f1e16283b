"""Deterministic demo data: a Spanish B2B sales team, its customers, visits and pipeline.

* :mod:`.generator` — :func:`~.generator.generate` streams ``(entity, rows)`` batches,
  parents first; the same arguments always give the same rows.
* :mod:`.loader` — :func:`~.loader.load_demo` writes them through the store's bulk insert
  and records the demo user as the profile's user.
* ``python -m sfa_desktop.demo --data-dir DIR`` builds a demo database (benchmarks use it for
  100,000-account files).

The other modules hold the word lists (names, places, companies, products, Spanish texts)
and the per-entity factories.
"""
