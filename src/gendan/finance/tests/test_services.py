"""The credit notes and the chase: each verb for the right role and the wrong one, a refusal
changes nothing, a confirmed note reduces the receivable once, issuing again for the same
source reference returns the same note."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from gendan.errors import DomainError
from gendan.finance import services
from gendan.finance.models import CreditNote, CreditNoteStatus
from gendan.finance.selectors import customer_receivable
from gendan.finance.tests.factories import book, days_ago
from gendan.parties.models import Communication
from gendan.timeline.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def owed(world):
    return book(world.order(customer="STORE01"), booked_on=days_ago(70), shipped_on=days_ago(70))


def issue(world, who="manager", **kw):
    args = {
        "customer": "STORE01",
        "amount": Decimal("120.00"),
        "reason": "纸箱破损补偿",
        "source": "aftersales.complaint",
        "source_ref": "CP-0001",
    }
    return services.issue_credit_note(actor=world.users[who], **(args | kw))


def test_a_credit_note_reduces_the_receivable_only_once_confirmed(world, owed):
    store = world.customers["STORE01"]
    before = customer_receivable(store)
    note = issue(world, order=owed.number)
    assert (note.status, note.currency, note.order) == (CreditNoteStatus.ISSUED, "CNY", owed)
    assert customer_receivable(store) == before
    confirmed = services.confirm_credit_note(actor=world.users["finance"], number=note.number)
    assert confirmed.status == CreditNoteStatus.CONFIRMED
    assert customer_receivable(store) == before - Decimal("120.00")
    again = services.confirm_credit_note(actor=world.users["finance"], number=note.number)
    assert again.confirmed_at == confirmed.confirmed_at
    assert customer_receivable(store) == before - Decimal("120.00")
    assert Event.objects.filter(kind="finance.credit_note_confirmed").count() == 1


def test_issuing_again_for_the_same_source_returns_the_same_note(world, owed):
    first = issue(world)
    assert issue(world).pk == first.pk
    with pytest.raises(DomainError) as other:
        issue(world, amount=Decimal("99.00"))
    assert other.value.code == "finance_source_ref_reused"
    assert CreditNote.objects.count() == 1
    assert Event.objects.filter(kind="finance.credit_note_issued").count() == 1


@pytest.mark.parametrize("who", ["sales", "merch", "production", "warehouse", "driver"])
def test_the_wrong_roles_cannot_issue_and_nothing_changes(world, owed, who):
    with pytest.raises(DomainError) as denied:
        issue(world, who=who)
    assert denied.value.kind == "forbidden"
    assert not CreditNote.objects.exists()


@pytest.mark.parametrize("who", ["manager", "sales", "service"])
def test_only_finance_confirms(world, owed, who):
    note = issue(world)
    with pytest.raises(DomainError) as denied:
        services.confirm_credit_note(actor=world.users[who], number=note.number)
    assert denied.value.kind == "forbidden"
    note.refresh_from_db()
    assert note.status == CreditNoteStatus.ISSUED


def test_bad_input_is_refused(world, owed):
    for kw, code in (
        ({"amount": Decimal("0")}, "finance_amount_required"),
        ({"amount": Decimal("1.005")}, "finance_amount_required"),
        ({"reason": "  "}, "finance_reason_required"),
        ({"customer": "EXP001", "order": owed.number}, "finance_order_of_another_customer"),
    ):
        with pytest.raises(DomainError) as refused:
            issue(world, source_ref="", **kw)
        assert refused.value.code == code
    assert not CreditNote.objects.exists()


def test_finance_logs_the_chase_with_a_follow_up(world, owed):
    follow = days_ago(0) + timedelta(days=3)
    comm = services.log_collection_chase(
        actor=world.users["finance"],
        customer="STORE01",
        order=owed.number,
        summary="电话催款",
        follow_up_on=follow,
    )
    assert (comm.customer.code, comm.order, comm.follow_up_on, comm.created_by) == (
        "STORE01",
        owed,
        follow,
        world.users["finance"],
    )
    assert Event.objects.filter(kind="finance.chase_logged", order=owed).count() == 1


@pytest.mark.parametrize("who", ["production", "warehouse", "qc", "regional"])
def test_the_wrong_roles_cannot_chase_and_nothing_is_logged(world, owed, who):
    with pytest.raises(DomainError) as denied:
        services.log_collection_chase(
            actor=world.users[who], customer="STORE01", summary="x", follow_up_on=None
        )
    assert denied.value.kind == "forbidden"
    assert not Communication.objects.exists()


def test_a_chase_needs_a_summary_and_a_future_follow_up(world, owed):
    for kw, code in (
        ({"summary": " ", "follow_up_on": None}, "finance_summary_required"),
        ({"summary": "x", "follow_up_on": days_ago(1)}, "follow_up_in_past"),
    ):
        with pytest.raises(DomainError) as refused:
            services.log_collection_chase(actor=world.users["finance"], customer="STORE01", **kw)
        assert refused.value.code == code
    assert not Communication.objects.exists()
