"""A server worker sets its loaded heap aside from cyclic garbage collection (see
``sync_server.app.tune_collector``): run in a process of its own, as uvicorn runs a worker."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sync_server.app import COLLECTOR_THRESHOLD

WORKER = """
import gc, json
from sync_server.db.database import Database
from sync_server.db.migrate import upgrade_to_head
from sync_server.settings import Settings
database = Database(Settings().sqlalchemy_url())
upgrade_to_head(database)
database.dispose()
before = (gc.get_freeze_count(), gc.get_threshold()[0])
from sync_server.app import app_from_environment
app_from_environment()
print(json.dumps({"before": before, "after": (gc.get_freeze_count(), gc.get_threshold()[0])}))
"""


def test_a_worker_freezes_what_it_loaded_and_collects_less_often(tmp_path: Path) -> None:
    env = dict(os.environ, SFA_DATA_DIR=str(tmp_path))
    env.pop("SFA_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", WORKER], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["before"] == [0, 700]
    frozen, threshold = figures["after"]
    assert frozen > 50_000  # the app's modules, schemas and catalog
    assert threshold == COLLECTOR_THRESHOLD
