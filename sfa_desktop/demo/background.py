"""Generating the demo batches in a child process while the caller writes them.

For benchmark-sized data sets the generator and the database writes each keep a core busy;
running the generator in its own process overlaps the two. Batches travel pickled through
a bounded queue, so memory stays flat. The child is started with "spawn" (safe next to
threads) and is stopped if the caller stops reading.
"""

from __future__ import annotations

import multiprocessing
import queue as queue_errors
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from .generator import Batch, generate

#: batches buffered between the processes (each at most ``generator.BATCH_SIZE`` rows)
QUEUE_BATCHES = 8
POLL_SECONDS = 1.0


@dataclass(frozen=True)
class _Failure:
    message: str


def _produce(out: Any, options: dict[str, Any]) -> None:
    """Child process: put every batch, then ``None`` (or a :class:`_Failure`)."""
    try:
        for batch in generate(**options):
            out.put(batch)
    except Exception as exc:  # reported to the parent, which raises it
        out.put(_Failure(f"{type(exc).__name__}: {exc}"))
        return
    out.put(None)


def generate_in_background(**options: Any) -> Generator[Batch, None, None]:
    """The batches of ``generate(**options)``, produced by a child process."""
    context = multiprocessing.get_context("spawn")
    channel = context.Queue(maxsize=QUEUE_BATCHES)
    child = context.Process(
        target=_produce, args=(channel, options), name="sfa-demo-generator", daemon=True
    )
    child.start()
    try:
        while True:
            try:
                item = channel.get(timeout=POLL_SECONDS)
            except queue_errors.Empty:
                if not child.is_alive():
                    raise RuntimeError("the demo data generator stopped unexpectedly") from None
                continue
            if item is None:
                break
            if isinstance(item, _Failure):
                raise RuntimeError(f"generating the demo data failed: {item.message}")
            yield item
        child.join()
    finally:
        if child.is_alive():
            child.terminate()
            child.join()
        channel.close()
        channel.cancel_join_thread()
