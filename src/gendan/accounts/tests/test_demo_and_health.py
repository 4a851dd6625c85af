"""The README's promises: the demo loads once, /healthz answers, the CLI issues tokens."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from gendan.accounts.services import user_for_token
from gendan.demodata import USERS
from gendan.orders.models import Order
from gendan.orders.workflow import Status

pytestmark = pytest.mark.django_db


def test_the_demo_loads_every_state_once_and_a_second_run_adds_nothing():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo data loaded." in out.getvalue()
    assert Order.objects.count() == 48  # the states, then the apps' own (logistics 5, offers 1)
    assert set(Order.objects.values_list("status", flat=True)) == set(Status.values)
    for username, _role, _name in USERS:
        assert username in out.getvalue()
    again = io.StringIO()
    call_command("load_demo", stdout=again)
    assert "nothing added" in again.getvalue()
    assert Order.objects.count() == 48  # the states, then the apps' own (logistics 5, offers 1)


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_create_token_prints_a_token_that_authenticates(users):
    out = io.StringIO()
    call_command("create_token", "merch", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("gd_")
    assert user_for_token(raw) == users["merch"]
