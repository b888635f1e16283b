"""The demo data reads like a real Spanish sales team's: valid ids, phones, agenda, pipeline."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
import pytest

from sfa_desktop.demo.generator import demo_user_id
from sfa_desktop.demo.phones import landline, mobile
from sfa_desktop.demo.places import FOREIGN_CITIES, MOBILE_PREFIXES, SPANISH_CITIES
from sfa_desktop.domain.opportunity_stages import StageChange, stage_facts
from sync_server.protocol.catalog import (
    OPPORTUNITY_STAGES,
    STAGE_DEFAULT_FORECAST_CATEGORY,
    STAGE_DEFAULT_PROBABILITY,
)

from .conftest import TODAY, Rows

MADRID = ZoneInfo("Europe/Madrid")
ById = dict[str, dict[str, dict[str, Any]]]

# --- an independent CIF check ------------------------------------------------------------------

_CIF = re.compile(r"([ABCDEFGHJNPQRSUVW])(\d{7})([0-9A-J])")


def cif_is_valid(text: str) -> bool:
    match = _CIF.fullmatch(text)
    if match is None:
        return False
    letter, digits, control = match.groups()
    even = sum(int(d) for d in digits[1::2])
    odd = sum(sum(divmod(2 * int(d), 10)) for d in digits[0::2])
    expected = (10 - (even + odd) % 10) % 10
    as_letter = "JABCDEFGHI"[expected]
    if letter in "ABEH":
        return control == str(expected)
    if letter in "PQRSNW":
        return control == as_letter
    return control in (str(expected), as_letter)


def test_the_cif_check_itself() -> None:
    assert cif_is_valid("B12345674")
    assert not cif_is_valid("B12345675")
    assert cif_is_valid("P2807900B")  # Ayuntamiento de Madrid
    assert not cif_is_valid("P28079002")
    assert not cif_is_valid("12345678Z")


def test_spanish_accounts_have_valid_unique_cifs(small: Rows) -> None:
    spanish = [a for a in small["account"] if a["country"] == "ES"]
    assert spanish
    for account in spanish:
        assert cif_is_valid(account["tax_id"]), account["tax_id"]
    tax_ids = [a["tax_id"] for a in small["account"]]
    assert len(tax_ids) == len(set(tax_ids))


def test_the_apps_own_validators_accept_the_demo_data(small: Rows) -> None:
    tax_ids = pytest.importorskip("sfa_desktop.domain.validation.tax_ids")
    contact_points = pytest.importorskip("sfa_desktop.domain.validation.contact_points")
    web = pytest.importorskip("sfa_desktop.domain.validation.web")
    for account in small["account"]:
        tax_ids.validate_tax_id(account["tax_id"], account["country"])
        if account["email"]:
            assert contact_points.validate_email(account["email"]) == account["email"]
        if account["website"]:
            web.validate_url(account["website"])
    for contact in small["contact"]:
        if contact["email"]:
            contact_points.validate_email(contact["email"])
        for phone in (contact["phone"], contact["mobile"]):
            if phone:
                assert contact_points.validate_phone(phone) == phone


def test_foreign_accounts_are_about_fifteen_percent() -> None:
    from sfa_desktop.demo.generator import generate

    accounts = [
        r for e, rows in generate(accounts=2_000, today=TODAY) if e == "account" for r in rows
    ]
    countries = Counter(a["country"] for a in accounts)
    assert set(countries) == {"ES", "PT", "FR", "DE", "IT", "GB"}
    assert 0.10 <= 1 - countries["ES"] / len(accounts) <= 0.20
    for account in accounts:
        if account["country"] != "ES":
            assert account["tax_id"].startswith(account["country"])
    without = sum(1 for a in accounts if a["latitude"] is None)
    assert 0.01 <= without / len(accounts) <= 0.06


def _is_valid_phone(number: str) -> bool:
    return phonenumbers.is_valid_number(phonenumbers.parse(number))


def test_every_phone_in_the_data_is_valid(small: Rows) -> None:
    phones = [a["phone"] for a in small["account"]]
    phones += [c[k] for c in small["contact"] for k in ("phone", "mobile") if c[k]]
    assert len(phones) > 100
    assert all(p.startswith("+") for p in phones)
    invalid = [p for p in phones if not _is_valid_phone(p)]
    assert invalid == []


def test_phone_prefixes_of_every_city_and_country_give_valid_numbers() -> None:
    import random

    rng = random.Random(5)
    for city in (*SPANISH_CITIES, *FOREIGN_CITIES):
        for _ in range(40):
            number = landline(rng, city)
            assert _is_valid_phone(number), (city.name, number)
    for country in MOBILE_PREFIXES:
        for _ in range(80):
            number = mobile(rng, country)
            assert _is_valid_phone(number), (country, number)


def test_accounts_sit_near_their_city(small: Rows) -> None:
    centres = {c.name: c for c in (*SPANISH_CITIES, *FOREIGN_CITIES)}
    for account in small["account"]:
        city = centres[account["city"]]
        assert account["region"] == city.region
        assert account["postal_code"] in city.postal_codes
        if account["latitude"] is not None:
            assert abs(account["latitude"] - city.latitude) < 0.1
            assert abs(account["longitude"] - city.longitude) < 0.15


def test_the_team(small: Rows) -> None:
    users = small["user"]
    roles = Counter(u["role"] for u in users)
    assert roles == {"manager": 1, "rep": 4, "admin": 1}
    manager = next(u for u in users if u["role"] == "manager")
    reps = [u for u in users if u["role"] == "rep"]
    assert all(u["manager_id"] == manager["id"] for u in reps)
    assert reps[0]["id"] == demo_user_id(today=TODAY)
    assert len({u["rep_code"] for u in users}) == len(users)
    assert all(u["discount_limit_pct"] == Decimal(10) for u in reps)
    assert manager["discount_limit_pct"] == Decimal(25)
    owners = Counter(a["owner_id"] for a in small["account"])
    assert set(owners) <= {u["id"] for u in users if u["role"] != "admin"}
    assert all(owners[r["id"]] > 0 for r in reps)


def test_children_belong_to_the_accounts_owner(small: Rows, by_id: ById) -> None:
    accounts, contacts = by_id["account"], by_id["contact"]
    for entity in ("visit", "opportunity", "quote"):
        for row in small[entity]:
            assert row["owner_id"] == accounts[row["account_id"]]["owner_id"], entity
            if row.get("contact_id"):
                assert contacts[row["contact_id"]]["account_id"] == row["account_id"]
    for quote in small["quote"]:
        opportunity = by_id["opportunity"][quote["opportunity_id"]]
        assert opportunity["account_id"] == quote["account_id"]


def test_contacts_have_spanish_names_titles_and_consent(small: Rows, by_id: ById) -> None:
    contacts = small["contact"]
    names = " ".join(f"{c['first_name']} {c['last_name']}" for c in contacts)
    assert re.search(r"[áéíóúñÁÉÍÓÚÑ]", names)
    consent = [c for c in contacts if c["marketing_consent"]]
    assert 0.45 <= len(consent) / len(contacts) <= 0.75
    for contact in contacts:
        industry = by_id["account"][contact["account_id"]]["industry"]
        if contact["job_title"].startswith("Encargad"):
            assert industry == "Construcción"
        given = contact["marketing_consent"]
        assert (contact["consent_at"] is not None) is given
        assert (contact["consent_source"] is not None) is given
        if contact["email"]:
            domain = contact["email"].split("@")[1]
            account = by_id["account"][contact["account_id"]]
            assert account["website"] is None or account["website"].endswith(domain)


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(MADRID)


def test_the_demo_rep_has_a_full_day_of_visits_today(small: Rows, by_id: ById) -> None:
    me = demo_user_id(today=TODAY)
    today = sorted(
        (
            v
            for v in small["visit"]
            if v["owner_id"] == me and _local(v["planned_start"]).date() == TODAY
        ),
        key=lambda v: v["planned_start"],
    )
    assert 6 <= len(today) <= 8
    for visit in today:
        assert visit["status"] == "planned"
        assert visit["kind"] in ("visit", "meeting")
        start, end = _local(visit["planned_start"]), _local(visit["planned_end"])
        assert dt.time(8, 30) <= start.time() and end.time() <= dt.time(18, 0)
        assert by_id["account"][visit["account_id"]]["latitude"] is not None
    for earlier, later in itertools.pairwise(today):
        assert earlier["planned_end"] < later["planned_start"]
    due = [v for v in small["visit"] if v["owner_id"] == me and v["follow_up_date"] == TODAY]
    assert due, "follow-ups due today"


def test_visit_history_and_plans(small: Rows) -> None:
    visits = small["visit"]
    statuses = Counter(v["status"] for v in visits)
    assert {"done", "planned", "cancelled", "no_show"} <= set(statuses)
    assert {"visit", "call", "email", "meeting"} <= {v["kind"] for v in visits}
    start_of_today = dt.datetime.combine(TODAY, dt.time(), tzinfo=MADRID)
    for visit in visits:
        assert visit["planned_start"] < visit["planned_end"]
        if visit["status"] == "planned":
            assert visit["planned_start"] >= start_of_today
        else:
            assert visit["planned_start"] < start_of_today
            assert visit["planned_start"] >= start_of_today - dt.timedelta(days=200)
        if visit["status"] == "done" and visit["kind"] in ("visit", "meeting"):
            assert visit["checked_in_at"] is not None and visit["outcome"]
    assert any(v["follow_up_of_id"] for v in visits)


def test_opportunities_cover_the_pipeline(small: Rows) -> None:
    opportunities = small["opportunity"]
    assert {o["stage"] for o in opportunities} == set(OPPORTUNITY_STAGES)
    for o in opportunities:
        stage = o["stage"]
        assert 100_000 <= o["amount"] <= 25_000_000
        assert o["currency"] == "EUR"
        if stage.startswith("closed_"):
            assert o["forecast_category"] == STAGE_DEFAULT_FORECAST_CATEGORY[stage]
            assert o["probability"] == STAGE_DEFAULT_PROBABILITY[stage]
            assert o["expected_close_date"] < TODAY
        else:
            assert o["forecast_category"] != "closed"
            assert 5 <= o["probability"] <= 95
        assert (o["lost_reason"] is not None) is (stage == "closed_lost")
    categories = Counter(
        o["forecast_category"] for o in opportunities if o["stage"] == "negotiation"
    )
    assert categories["commit"] >= categories["best_case"]


def _changes(rows: list[dict[str, Any]]) -> list[StageChange]:
    fields = StageChange.__slots__
    return [StageChange(**{name: row[name] for name in fields}) for row in rows]


def test_every_opportunity_has_a_stage_history_ending_where_it_is(small: Rows) -> None:
    history: dict[str, list[dict[str, Any]]] = {}
    for change in small["opportunity_stage_change"]:
        history.setdefault(change["opportunity_id"], []).append(change)
    opportunities = small["opportunity"]
    assert set(history) == {o["id"] for o in opportunities}
    now = dt.datetime.combine(TODAY, dt.time(7), tzinfo=MADRID)
    slipped = stalled = 0
    cycles: list[int] = []
    for o in opportunities:
        changes = sorted(history[o["id"]], key=lambda c: c["changed_at"])
        first, last = changes[0], changes[-1]
        assert first["from_stage"] is None and first["changed_at"] == o["created_at"]
        assert (last["to_stage"], last["to_close_date"]) == (o["stage"], o["expected_close_date"])
        for before, after in itertools.pairwise(changes):
            assert after["from_stage"] == before["to_stage"]
            assert after["from_close_date"] == before["to_close_date"]
            assert (after["from_stage"], after["from_close_date"]) != (
                after["to_stage"],
                after["to_close_date"],
            )
        for change in changes:
            assert change["changed_by_id"] == o["owner_id"]
            assert change["amount"] == o["amount"] and change["currency"] == o["currency"]
            assert o["created_at"] <= change["changed_at"] <= o["updated_at"]
        facts = stage_facts(
            _changes(changes), stage=o["stage"], created_at=o["created_at"], now=now
        )
        slipped += facts.slipped
        stalled += facts.age_in_stage_days > 30 and o["stage"] not in ("closed_won", "closed_lost")
        if facts.cycle_days is not None:
            cycles.append(facts.cycle_days)
    # some deals slip, some stall, and closed deals took weeks to months
    assert 0.15 * len(opportunities) <= slipped <= 0.6 * len(opportunities)
    assert stalled > 0
    assert cycles and 10 <= sorted(cycles)[len(cycles) // 2] <= 120


_NUMBER = re.compile(r"Q-([A-Z0-9]+)-(\d{4})-(\d{4,})")


def test_quote_numbers_are_unique_per_rep_and_year(small: Rows, by_id: ById) -> None:
    """A revision keeps its quote's number: (number, revision) is unique, and a number is
    shared only by the revisions of one quote."""
    quotes = small["quote"]
    keys = [(q["number"], q["revision"]) for q in quotes]
    assert len(keys) == len(set(keys))
    for quote in quotes:
        first = quote
        while first["previous_quote_id"] is not None:
            first = by_id["quote"][first["previous_quote_id"]]
            assert first["number"] == quote["number"]
        match = _NUMBER.fullmatch(quote["number"])
        assert match is not None
        owner = by_id["user"][quote["owner_id"]]
        assert match.group(1) == owner["rep_code"]
        assert int(match.group(2)) == first["issue_date"].year
        assert quote["valid_until"] == quote["issue_date"] + dt.timedelta(days=30)
    firsts = Counter(q["number"] for q in quotes if q["revision"] == 1)
    assert max(firsts.values()) == 1


def test_quote_revisions_link_to_a_frozen_first_revision(small: Rows, by_id: ById) -> None:
    revised = [q for q in small["quote"] if q["revision"] == 2]
    assert revised
    for quote in small["quote"]:
        if quote["revision"] == 1:
            assert quote["previous_quote_id"] is None
    for quote in revised:
        previous = by_id["quote"][quote["previous_quote_id"]]
        assert previous["revision"] == 1
        assert previous["number"] == quote["number"]
        assert previous["status"] in ("sent", "rejected")
        assert previous["opportunity_id"] == quote["opportunity_id"]
        assert previous["issue_date"] < quote["issue_date"]


def test_quote_lines_use_price_list_prices(small: Rows, by_id: ById) -> None:
    prices = {
        (i["price_list_id"], i["product_id"]): i["unit_price"] for i in small["price_list_item"]
    }
    lines: dict[str, list[dict[str, Any]]] = {}
    for line in small["quote_line"]:
        lines.setdefault(line["quote_id"], []).append(line)
    for quote in small["quote"]:
        mine = lines[quote["id"]]
        assert [line["position"] for line in mine] == list(range(1, len(mine) + 1))
        items = [line for line in mine if line["kind"] == "item"]
        assert items
        for line in items:
            product = by_id["product"][line["product_id"]]
            assert line["unit_price"] == prices[quote["price_list_id"], line["product_id"]]
            assert line["tax_rate_pct"] == product["tax_rate_pct"]
            assert Decimal(0) <= line["discount_pct"] <= Decimal(15)
            assert line["quantity"] > 0
        for line in mine:
            if line["kind"] != "item":  # headings and free text: no product, no amount
                assert line["product_id"] is None and line["unit_price"] == 0
                assert not line["optional"] and line["description"]
        owner = by_id["user"][quote["owner_id"]]
        above_limit = max(line["discount_pct"] for line in items) > owner["discount_limit_pct"]
        if quote["status"] in ("pending_approval", "approved"):
            assert above_limit
        if quote["approved_by_id"] is not None:
            assert above_limit and by_id["user"][quote["approved_by_id"]]["role"] == "manager"


def test_catalogue_and_price_lists(small: Rows, by_id: ById) -> None:
    products = small["product"]
    assert {p["kind"] for p in products} == {"product", "option", "component"}
    for product in products:
        if product["kind"] != "product":
            assert by_id["product"][product["parent_product_id"]]["kind"] == "product"
    rates = Counter(p["tax_rate_pct"] for p in products)
    assert rates.most_common(1)[0][0] == Decimal(21)
    assert {Decimal(10), Decimal(4)} <= set(rates)
    lists = {pl["name"]: pl for pl in small["price_list"]}
    assert lists["Tarifa general 2026"]["currency"] == "EUR"
    assert lists["Tarifa distribuidores 2026"]["currency"] == "EUR"
    assert any(pl["currency"] in ("GBP", "USD") for pl in lists.values())
    items = Counter(i["price_list_id"] for i in small["price_list_item"])
    assert all(count == len(products) for count in items.values())
    general = {
        i["product_id"]: i["unit_price"]
        for i in small["price_list_item"]
        if i["price_list_id"] == lists["Tarifa general 2026"]["id"]
    }
    dealers = {
        i["product_id"]: i["unit_price"]
        for i in small["price_list_item"]
        if i["price_list_id"] == lists["Tarifa distribuidores 2026"]["id"]
    }
    assert all(dealers[p] < general[p] for p in general)


def test_quotas_and_forecast_history(small: Rows) -> None:
    reps = [u["id"] for u in small["user"] if u["role"] == "rep"]
    (manager,) = [u["id"] for u in small["user"] if u["role"] == "manager"]
    personal = Counter(q["user_id"] for q in small["quota"] if q["scope"] == "personal")
    assert personal == {r: 16 for r in reps}
    periods = {q["period"] for q in small["quota"]}
    assert {"2026-01", "2026-12", "2026-Q1", "2026-Q4"} <= periods
    # the manager's team quota, set explicitly for each quarter: above the sum of the reps'
    team = {q["period"]: q["amount"] for q in small["quota"] if q["scope"] == "team"}
    assert set(team) == {"2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"}
    assert all(q["user_id"] == manager for q in small["quota"] if q["scope"] == "team")
    for period, amount in team.items():
        members = sum(
            q["amount"] for q in small["quota"] if q["period"] == period and q["user_id"] in reps
        )
        assert members < amount < members * 1.1
    submissions = small["forecast_submission"]
    now = dt.datetime(2026, 11, 25, 6, 45, tzinfo=dt.UTC)
    for rep in reps:
        mine = [s for s in submissions if s["owner_id"] == rep]
        assert {s["period"] for s in mine} == {
            "2026-06",
            "2026-07",
            "2026-08",
            "2026-09",
            "2026-10",
            "2026-11",
            "2026-Q3",
            "2026-Q4",
        }
        # weekly: a submission each Monday of the current quarter so far
        q4 = sorted(
            s["submitted_at"].astimezone(MADRID).date() for s in mine if s["period"] == "2026-Q4"
        )
        assert len(q4) == 8 and all(
            b - a == dt.timedelta(days=7) for a, b in itertools.pairwise(q4)
        )
    for s in submissions:
        assert re.fullmatch(r"\d{4}-(\d{2}|Q\d)", s["period"])
        assert s["submitted_at"] <= now
        assert 0 <= s["closed_amount"] <= s["commit_amount"] <= s["best_case_amount"]
        assert s["pipeline_amount"] >= s["best_case_amount"] - s["closed_amount"]
        assert s["manager_adjustment"] is None  # managers adjust with records of their own
        assert (s["rep_note"] is None) is (s["rep_adjustment"] is None)
    adjustments = small["forecast_adjustment"]
    assert {a["scope"] for a in adjustments} == {"rep", "team"}
    assert all(a["note"] and a["amount"] != 0 and a["adjusted_at"] <= now for a in adjustments)
    assert {a["adjusted_by_id"] for a in adjustments if a["scope"] == "rep"} == {manager}
