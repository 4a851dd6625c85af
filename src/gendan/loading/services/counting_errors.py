"""The counting-error register: errors found after loading, against who counted, with the
configured penalty."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext

from gendan.accounts.guards import verb
from gendan.accounts.models import User
from gendan.errors import invalid, not_found
from gendan.loading.errors import Code
from gendan.loading.events import LoadingEvent
from gendan.loading.models import CountingError, ErrorSource, LoadingPlan
from gendan.loading.permissions import LoadingPerm
from gendan.loading.selectors import orders_of_plan
from gendan.loading.services.counts import product_in_plan
from gendan.timeline.services import record


def counting_error_penalty() -> Decimal:
    return Decimal(str(settings.GENDAN_COUNTING_ERROR_PENALTY)).quantize(Decimal("0.01"))


@verb(LoadingPerm.RECORD_COUNTING_ERROR)
def record_counting_error(
    *,
    actor: User,
    plan: str,
    person: str,
    expected: int,
    actual: int,
    source: str = ErrorSource.RECOUNT,
    product: str | None = None,
    note: str = "",
) -> CountingError:
    """A counting error found after loading (the customer's receipt, a recount), against the
    person who counted, with the configured penalty."""
    if source not in ErrorSource.values:
        raise invalid("invalid_source", gettext("Unknown source."), field="source")
    if expected < 0 or actual < 0:
        raise invalid("invalid_quantity", gettext("Quantities cannot be negative."), field="actual")
    if expected == actual:
        raise invalid(
            Code.NO_DIFFERENCE,
            gettext("Expected and actual are the same: there is no error to record."),
            field="actual",
        )
    with transaction.atomic(durable=True):
        lp = LoadingPlan.objects.filter(number=plan).first()
        if lp is None:
            raise not_found("loading_plan")
        who = get_user_model().objects.filter(username=person, is_active=True).first()
        if who is None:
            raise invalid(
                Code.UNKNOWN_PERSON,
                gettext("Unknown person %(p)s.") % {"p": person},
                field="person",
            )
        target = product_in_plan(lp, product) if product else None
        error = CountingError.objects.create(
            plan=lp,
            person=who,
            product=target,
            source=source,
            expected=expected,
            actual=actual,
            penalty=counting_error_penalty(),
            currency=settings.GENDAN_COUNTING_ERROR_CURRENCY,
            note=note.strip(),
            recorded_by=actor,
        )
        for order in orders_of_plan(lp):
            record(
                kind=LoadingEvent.COUNTING_ERROR_RECORDED,
                actor=actor,
                order=order,
                comment=note.strip(),
                payload={
                    "plan": lp.number,
                    "person": who.username,
                    "product": product,
                    "expected": expected,
                    "actual": actual,
                    "penalty": str(error.penalty),
                },
            )
    return error
