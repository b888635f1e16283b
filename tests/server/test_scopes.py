"""Scopes on every read and write: probing other reps' ids reveals nothing (SPEC §4.6)."""

from __future__ import annotations

from pathlib import Path

from sync_server.api.deps import ServerState
from sync_server.protocol.ids import new_id
from sync_server.protocol.wire import MutationOp
from sync_server.services.products_import import import_products
from sync_server.services.quotas import set_quota

from .helpers import Device, Team, build_account_tree


def test_each_user_pulls_only_their_scope(devices: dict[str, Device]) -> None:
    rep_a, rep_b, rep_c = devices["rep_a"], devices["rep_b"], devices["rep_c"]
    tree_a = build_account_tree(rep_a, rep_a.user_id)
    tree_c = build_account_tree(rep_c, rep_c.user_id)
    expectations = {
        "rep_a": set(tree_a.values()),
        "rep_b": set(),
        "manager": set(tree_a.values()),
        "rep_c": set(tree_c.values()),
        "manager_c": set(tree_c.values()),
        "admin": set(tree_a.values()) | set(tree_c.values()),
    }
    for name, expected in expectations.items():
        device = devices[name]
        device.sync()
        synced = {k for k, v in device.mirror.items() if v.entity not in ("user",)}
        assert synced == expected, name
        assert len(device.of("user")) == 6  # reference data: everybody sees every user
    assert rep_b.of("account") == {}


def test_users_are_exposed_without_secrets(devices: dict[str, Device]) -> None:
    rep = devices["rep_b"]
    rep.sync()
    for user in rep.of("user").values():
        assert set(user.values) <= {
            "id",
            "name",
            "email",
            "role",
            "manager_id",
            "rep_code",
            "discount_limit_pct",
            "active",
            "created_at",
            "updated_at",
            "deleted_at",
        }


def test_probing_another_reps_ids_through_push_reveals_nothing(devices: dict[str, Device]) -> None:
    owner, prober = devices["rep_a"], devices["rep_c"]
    tree = build_account_tree(owner, owner.user_id)
    missing = new_id()

    def answers(record_id: str, entity: str) -> list[tuple[str, str | None, str | None]]:
        results = prober.push(
            prober.mutation(
                MutationOp.SET, entity, record_id, field="notes", value="x", base_version=99
            ),
            prober.mutation(MutationOp.DELETE, entity, record_id, base_version=99),
        )
        return [(r.status, r.code, r.message) for r in results]

    for entity in ("account", "contact", "visit", "opportunity", "quote"):
        assert answers(tree[entity], entity) == answers(missing, entity), entity
    child = {"account_id": tree["account"], "first_name": "Intrusa"}
    ghost = {"account_id": missing, "first_name": "Intrusa"}
    attempts = prober.push(
        prober.mutation(MutationOp.CREATE, "contact", new_id(), value=child),
        prober.mutation(MutationOp.CREATE, "contact", new_id(), value=ghost),
    )
    assert attempts[0].model_dump(exclude={"mutation_id"}) == attempts[1].model_dump(
        exclude={"mutation_id"}
    )
    assert attempts[0].code == "bad_reference"
    owner.sync()
    assert owner.of("contact").keys() == {tree["contact"]}
    assert owner.of("account")[tree["account"]].values.get("notes") is None


def test_the_manager_of_another_team_cannot_touch_or_audit(devices: dict[str, Device]) -> None:
    owner, outsider = devices["rep_a"], devices["manager_c"]
    tree = build_account_tree(owner, owner.user_id)
    result = outsider.set("account", tree["account"], "city", "Lejos", base=99)
    assert (result.status, result.code) == ("rejected", "not_found")
    theirs = outsider.client.get(
        "/api/v1/audit", params={"record": tree["account"]}, headers=outsider.headers
    )
    nobodys = outsider.client.get(
        "/api/v1/audit", params={"record": new_id()}, headers=outsider.headers
    )
    assert theirs.status_code == nobodys.status_code == 404
    assert theirs.json() == nobodys.json()


def test_reps_cannot_read_the_audit_log(devices: dict[str, Device]) -> None:
    rep = devices["rep_a"]
    tree = build_account_tree(rep, rep.user_id)
    for record in (tree["account"], new_id(), "garbage"):
        response = rep.client.get("/api/v1/audit", params={"record": record}, headers=rep.headers)
        assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_managers_audit_their_team_and_admins_everything(devices: dict[str, Device]) -> None:
    rep_c = devices["rep_c"]
    tree = build_account_tree(rep_c, rep_c.user_id)
    for name in ("manager_c", "admin"):
        device = devices[name]
        response = device.client.get(
            "/api/v1/audit", params={"record": tree["quote_line"]}, headers=device.headers
        )
        assert response.status_code == 200 and len(response.json()["entries"]) == 1


def test_a_rep_cannot_give_an_account_away(devices: dict[str, Device]) -> None:
    rep = devices["rep_a"]
    tree = build_account_tree(rep, rep.user_id)
    result = rep.set("account", tree["account"], "owner_id", devices["rep_b"].user_id, base=1)
    assert (result.status, result.code) == ("rejected", "forbidden")
    unchanged = rep.set("account", tree["account"], "owner_id", rep.user_id, base=1)
    assert unchanged.status == "applied"


def test_reference_data_reaches_everyone_and_quotas_only_their_audience(
    devices: dict[str, Device], state: ServerState, team: Team, tmp_path: Path
) -> None:
    csv = tmp_path / "products.csv"
    csv.write_text("sku,name,price_list,unit_price\nP-1,Tornillos,General,0.10\n", encoding="utf-8")
    import_products(state.database, context=state.sync, path=csv)
    quota_id, _ = set_quota(
        state.database, context=state.sync, email=team.rep_a.email, period="2026-11", amount="1000"
    )
    for name, device in devices.items():
        device.sync()
        assert len(device.of("product")) == len(device.of("price_list_item")) == 1, name
        sees_quota = name in ("rep_a", "manager", "admin")
        assert (quota_id in device.mirror) is sees_quota, name
