"""Blocks of quote numbers leased to devices: disjoint per rep code and year, also when
leased at the same moment (protocol/quote_numbers.py)."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from sync_server.api.deps import ServerState
from sync_server.protocol.quote_numbers import BLOCK_SIZE
from sync_server.protocol.wire import NumberBlocksRequest, NumberBlocksResponse
from sync_server.services.number_blocks import lease_number_blocks

from .helpers import Device, ManualClock, Team, login

PATH = "/api/v1/sync/number-blocks"


def _lease(device: Device, *years: int) -> NumberBlocksResponse:
    response = device.client.post(PATH, json={"years": list(years)}, headers=device.headers)
    assert response.status_code == 200, response.text
    return NumberBlocksResponse.model_validate(response.json())


def _numbers(answer: NumberBlocksResponse) -> set[tuple[int, int]]:
    return {(b.year, n) for b in answer.blocks for n in range(b.first, b.last + 1)}


def test_blocks_of_one_rep_never_overlap(
    client: TestClient, team: Team, clock: ManualClock
) -> None:
    laptop = login(client, team.rep_a.email, clock)
    desktop = login(client, team.rep_a.email, clock)
    first = _lease(laptop, 2026)
    assert first.rep_code and first.device_code >= 1
    assert [(b.year, b.first, b.last) for b in first.blocks] == [(2026, 1, BLOCK_SIZE)]
    second = _lease(desktop, 2026)
    third = _lease(laptop, 2026)
    assert second.device_code != first.device_code
    assert third.device_code == first.device_code  # given once per device
    assert second.blocks[0].first == BLOCK_SIZE + 1 and third.blocks[0].first == 2 * BLOCK_SIZE + 1
    numbers = [_numbers(a) for a in (first, second, third)]
    assert sum(len(n) for n in numbers) == len(set().union(*numbers)) == 3 * BLOCK_SIZE


def test_each_rep_and_year_has_its_own_series(
    client: TestClient, team: Team, clock: ManualClock
) -> None:
    ana = login(client, team.rep_a.email, clock)
    bruno = login(client, team.rep_b.email, clock)
    ana_blocks = _lease(ana, 2026, 2027)
    bruno_blocks = _lease(bruno, 2026)
    assert ana_blocks.rep_code != bruno_blocks.rep_code
    assert {(b.year, b.first) for b in ana_blocks.blocks} == {(2026, 1), (2027, 1)}
    assert [(b.year, b.first) for b in bruno_blocks.blocks] == [(2026, 1)]


def test_year_rollover_starts_a_new_series(
    client: TestClient, team: Team, clock: ManualClock
) -> None:
    clock.now = clock.now.replace(month=12, day=31, hour=23)
    ana = login(client, team.rep_a.email, clock)
    _lease(ana, 2026)
    _lease(ana, 2026)
    clock.advance(hours=2)  # 2027 now
    answer = _lease(ana, 2027)
    assert [(b.year, b.first) for b in answer.blocks] == [(2027, 1)]


def test_far_years_get_no_block_and_an_empty_request_only_the_code(
    client: TestClient, team: Team, clock: ManualClock
) -> None:
    ana = login(client, team.rep_a.email, clock)
    assert _lease(ana, 2020, 2031).blocks == []
    code = _lease(ana).device_code
    assert _lease(ana, 2025).blocks[0].year == 2025  # last year is still allowed
    assert _lease(ana).device_code == code


def test_bad_requests_are_refused_with_a_code(
    client: TestClient, team: Team, clock: ManualClock
) -> None:
    ana = login(client, team.rep_a.email, clock)
    response = client.post(PATH, json={"years": ["soon"]}, headers=ana.headers)
    assert response.status_code == 422 and response.json()["code"]
    response = client.post(PATH, json={"years": [2026] * 4}, headers=ana.headers)
    assert response.status_code == 422
    assert client.post(PATH, json={"years": [2026]}).status_code == 401


def test_concurrent_leases_get_disjoint_blocks(
    client: TestClient, team: Team, clock: ManualClock, state: ServerState
) -> None:
    """Run on PostgreSQL too: the series row lock (and the unique constraint on a first
    lease) keeps leases taken at the same moment apart."""
    laptops = [login(client, team.rep_a.email, clock) for _ in range(4)]
    rounds = 5
    start = threading.Barrier(len(laptops))
    answers: list[NumberBlocksResponse] = []
    failures: list[BaseException] = []

    def lease(device: Device) -> None:
        try:
            start.wait(timeout=30)
            for _ in range(rounds):
                answers.append(
                    lease_number_blocks(
                        state.database,
                        user_id=device.user_id,
                        device_id=device.device_id,
                        rep_code="ANA",
                        request=NumberBlocksRequest(years=[2026, 2027]),
                        context=state.sync,
                    )
                )
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    threads = [threading.Thread(target=lease, args=(laptop,)) for laptop in laptops]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert len(answers) == len(laptops) * rounds
    numbers = [_numbers(answer) for answer in answers]
    assert sum(len(n) for n in numbers) == len(set().union(*numbers))
    assert len({answer.device_code for answer in answers}) == len(laptops)
    for year in (2026, 2027):  # no gaps either: every block follows the one before
        firsts = sorted(b.first for a in answers for b in a.blocks if b.year == year)
        assert firsts == [1 + i * BLOCK_SIZE for i in range(len(answers))]
