"""A worker applies one push at a time, and sends a crowded client to another worker."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import Response

from sync_server.api.push_slots import PushSlots, Slot
from sync_server.protocol.ids import new_id
from sync_server.protocol.wire import MutationOp
from sync_server.services.push import push as real_push

from .helpers import Device, account_values

WAIT = 10.0  # seconds, the longest any condition below is waited for


class _Holder(threading.Thread):
    """Takes a turn and keeps it until released."""

    def __init__(self, slots: PushSlots, inside: list[str], name: str) -> None:
        super().__init__()
        self.slots, self.inside, self.label = slots, inside, name
        self.entered = threading.Event()
        self.release = threading.Event()
        self.slot: Slot | None = None

    def run(self) -> None:
        with self.slots.taken() as slot:
            self.inside.append(self.label)
            self.entered.set()
            self.release.wait(WAIT)
            self.inside.remove(self.label)
            self.slot = slot


def test_one_push_at_a_time_and_the_crowded_one_knows() -> None:
    slots = PushSlots()
    inside: list[str] = []
    first, second = _Holder(slots, inside, "first"), _Holder(slots, inside, "second")
    first.start()
    assert first.entered.wait(WAIT)
    second.start()
    assert slots.wait_until_waiting(1, WAIT)
    assert inside == ["first"]  # the second waits outside
    first.release.set()
    assert second.entered.wait(WAIT)
    assert inside == ["second"]
    second.release.set()
    first.join(WAIT)
    second.join(WAIT)
    assert first.slot is not None and first.slot.crowded  # somebody waited during its turn
    assert second.slot is not None and not second.slot.crowded
    assert slots.waiting == 0


def test_a_failed_push_gives_its_turn_back() -> None:
    slots = PushSlots()
    with pytest.raises(RuntimeError), slots.taken():
        raise RuntimeError("push failed")
    with slots.taken() as slot:  # would wait forever if the turn were kept
        assert not slot.crowded


def _post(device: Device, record_id: str, answers: dict[str, Response]) -> None:
    mutation = device.mutation(
        MutationOp.CREATE, "account", record_id, value=account_values(device.user_id, record_id)
    )
    answers[record_id] = device.client.post(
        "/api/v1/sync/push",
        json={"mutations": [mutation.model_dump(mode="json")]},
        headers=device.headers,
    )


def test_a_push_that_kept_another_waiting_closes_its_connection(
    app: FastAPI, devices: dict[str, Device], monkeypatch: pytest.MonkeyPatch
) -> None:
    slots: PushSlots = app.state.server.push_slots
    first_inside, let_first_go = threading.Event(), threading.Event()
    calls: list[str] = []

    def held_push(*args: Any, **kwargs: Any) -> Any:
        calls.append("push")
        if len(calls) == 1:  # the first push holds the worker's turn until told
            first_inside.set()
            assert let_first_go.wait(WAIT)
        return real_push(*args, **kwargs)

    monkeypatch.setattr("sync_server.api.routes.sync.push_mutations", held_push)
    answers: dict[str, Response] = {}
    first_id, second_id = new_id(), new_id()
    first = threading.Thread(target=_post, args=(devices["rep_a"], first_id, answers))
    second = threading.Thread(target=_post, args=(devices["rep_b"], second_id, answers))
    first.start()
    assert first_inside.wait(WAIT)
    second.start()
    assert slots.wait_until_waiting(1, WAIT)
    assert calls == ["push"]  # the second push has not started
    let_first_go.set()
    first.join(WAIT)
    second.join(WAIT)

    crowded, alone = answers[first_id], answers[second_id]
    assert crowded.status_code == alone.status_code == 200
    assert crowded.headers.get("connection") == "close"
    assert alone.headers.get("connection") != "close"
    for answer in (crowded, alone):
        assert [r["status"] for r in answer.json()["results"]] == ["applied"]
