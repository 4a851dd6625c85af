"""What a container type costs is an amount (issue 11, defect 11): production, the warehouse and
drivers read the types without it, in the API and on the page's 费用 column; the merchandiser
reads it; a price-blind editor changes a type without seeing or resetting its cost."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission

from gendan.loading.models import ContainerType
from gendan.loading.standard_types import ensure_standard_types
from gendan.orders.tests.test_api import Http

pytestmark = pytest.mark.django_db(transaction=True)

COST = Decimal("76543.21")
BLIND = ("production", "warehouse", "driver")


@pytest.fixture
def costly(world) -> ContainerType:
    ensure_standard_types(ContainerType)
    ContainerType.objects.filter(code="40HQ").update(cost=COST)
    return ContainerType.objects.get(code="40HQ")


@pytest.fixture
def http(live_server) -> Http:
    return Http(live_server.url)


@pytest.mark.parametrize("who", BLIND)
def test_a_price_blind_role_reads_the_types_without_their_cost(http, costly, who):
    answer = http.get("/loading/container-types?include_inactive=true", http.token(who))
    assert answer.status == 200
    (row,) = [t for t in answer.body["items"] if t["code"] == "40HQ"]
    assert "cost" not in row
    assert row["inside_length_mm"] == costly.inside_length_mm
    assert "76543" not in str(answer.body)


def test_the_merchandiser_reads_the_cost(http, costly):
    answer = http.get("/loading/container-types", http.token("merch"))
    (row,) = [t for t in answer.body["items"] if t["code"] == "40HQ"]
    assert row["cost"] == "76543.21"
    assert answer.body["next_cursor"] is None


def test_the_types_come_in_pages(http, costly):
    merch = http.token("merch")
    first = http.get("/loading/container-types?limit=2", merch).body
    assert len(first["items"]) == 2 and first["next_cursor"] == first["items"][1]["code"]
    rest = http.get(f"/loading/container-types?limit=100&after={first['next_cursor']}", merch)
    codes = [t["code"] for t in first["items"] + rest.body["items"]]
    assert codes == sorted(ContainerType.objects.filter(active=True).values_list("code", flat=True))


@pytest.mark.parametrize("who", BLIND)
def test_the_page_has_no_cost_column_for_a_price_blind_role(client, costly, world, who):
    client.force_login(world.users[who])
    page = client.get("/loading/container-types/").content.decode()
    assert 'data-type="40HQ"' in page
    assert "76543" not in page
    assert '<th class="num">费用</th>' not in page and ">Cost<" not in page


def test_the_page_shows_the_cost_to_the_merchandiser(client, costly, world):
    client.force_login(world.users["merch"])
    page = client.get("/loading/container-types/", headers={"Accept-Language": "zh-hans"})
    text = page.content.decode()
    assert "76543.21" in text and '<th class="num">费用</th>' in text


def _blind_editor(world):
    from gendan.accounts.models import User

    group, _ = Group.objects.get_or_create(name="blind-container-editor")
    group.permissions.set(Permission.objects.filter(codename="manage_container_types"))
    user = User.objects.create_user("blind-editor", password="x")
    user.groups.add(group)
    return user


def test_a_price_blind_editor_changes_a_type_and_its_cost_stays(client, costly, world, http):
    editor = _blind_editor(world)
    client.force_login(editor)
    form = client.get("/loading/container-types/40HQ/").content.decode()
    assert "76543" not in form and 'name="cost"' not in form
    fields = {
        "code": "40HQ",
        "name": "40' high cube",
        "kind": "container",
        "inside_length_mm": costly.inside_length_mm,
        "inside_width_mm": costly.inside_width_mm,
        "inside_height_mm": costly.inside_height_mm,
        "door_width_mm": costly.door_width_mm,
        "door_height_mm": costly.door_height_mm,
        "max_payload_kg": 26000,
        "active": "on",
    }
    answer = client.post("/loading/container-types/40HQ/", fields)
    assert answer.status_code == 302
    costly.refresh_from_db()
    assert (costly.max_payload_kg, costly.cost) == (26000, COST)
    # over the API: a PUT without the cost keeps it, and the answer does not carry it
    from gendan.accounts.services import issue_token

    _token, raw = issue_token(user=editor, actor=editor)
    body = {k: v for k, v in fields.items() if k not in ("active", "code")}
    body["max_payload_kg"] = 26500
    put = http.call("PUT", "/loading/container-types/40HQ", token=raw, body=body)
    assert put.status == 200, put.body
    assert "cost" not in put.body
    costly.refresh_from_db()
    assert (costly.max_payload_kg, costly.cost) == (26500, COST)
