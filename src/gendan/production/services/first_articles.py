"""The first article (首件 / 生产小样): a gate on a work order's first step.

When the work orders are issued, the first step of a notice line gets a gate if its order is the
customer's first, its product has never been produced, or its quantity is above
``GENDAN_FIRST_ARTICLE_QUANTITY``. Production submits a sample (a note and photos taken on the
phone); the order's salesperson (or a sales manager) approves it, or rejects it with the
deviation, and production submits another. Until a sample is approved, no more than the sample
quantity of the step may be reported (``check_gate``, called by the daily report). Here once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop

from gendan.accounts.guards import step, verb
from gendan.accounts.roles import role_names
from gendan.attachments.models import Attachment
from gendan.attachments.services import check_file, store_attachment
from gendan.errors import DomainError, Kind, invalid, not_found
from gendan.notifications.services import notify
from gendan.orders import locks as order_locks
from gendan.orders.models import Order
from gendan.orders.workflow import Status
from gendan.production import permissions as p
from gendan.production.errors import Code
from gendan.production.models import (
    FirstArticle,
    FirstArticleCause,
    FirstArticleSample,
    FirstArticleStatus,
    WorkOrder,
)
from gendan.timeline.services import history_row, record, write_history

SAMPLE_MODEL = "production.firstarticlesample"
MAX_PHOTOS = 10


def _worded(message: str, **values: Any) -> Any:
    """A notification's text, worded later in each recipient's language."""
    return lazy(lambda: gettext(message) % values, str)()


def wait_hours() -> int:
    return int(settings.GENDAN_FIRST_ARTICLE_WAIT_HOURS)


# ---- the gate, decided at issue and checked at each report -------------------------------------


@step
def open_gates(*, order: Any, work_orders: Sequence[WorkOrder], actor: Any) -> list[FirstArticle]:
    """The gates of the routed first steps among ``work_orders``: two queries and the insert
    (none when there is no routed first step)."""
    firsts = [wo for wo in work_orders if wo.seq == 1 and wo.routed]
    if not firsts:
        return []
    earlier = (
        Order.objects.filter(customer_id=order.customer_id, pk__lt=order.pk)
        .exclude(status=Status.CANCELLED)
        .exists()
    )
    products = {wo.pk: wo.notice_line.line.product_id for wo in firsts}
    produced = set(
        WorkOrder.objects.filter(
            notice_line__line__product_id__in=set(products.values()), good_qty__gt=0
        )
        .exclude(order_id=order.pk)
        .values_list("notice_line__line__product_id", flat=True)
        .distinct()
    )
    threshold = int(settings.GENDAN_FIRST_ARTICLE_QUANTITY)
    sample = int(settings.GENDAN_FIRST_ARTICLE_SAMPLE_QTY)
    gates = []
    for wo in firsts:
        causes = []
        if not earlier:
            causes.append(FirstArticleCause.NEW_CUSTOMER.value)
        if products[wo.pk] not in produced:
            causes.append(FirstArticleCause.NEW_PRODUCT.value)
        if wo.quantity > threshold:
            causes.append(FirstArticleCause.LARGE_QUANTITY.value)
        if causes:
            gates.append(
                FirstArticle(
                    work_order=wo,
                    order_id=order.pk,
                    causes=causes,
                    sample_qty=max(1, min(sample, wo.quantity)),
                )
            )
    if gates:
        created = FirstArticle.objects.bulk_create(gates)
        write_history([history_row(fa, actor=actor, history_type="+") for fa in created])
        return created
    return []


def check_gate(work_order: WorkOrder, good: int) -> None:
    """Refuse ``good`` in all on a first step whose first article is not approved, beyond the
    sample quantity. One query."""
    gate = (
        FirstArticle.objects.filter(work_order=work_order)
        .exclude(status=FirstArticleStatus.APPROVED)
        .only("sample_qty", "status")
        .first()
    )
    if gate is None or good <= gate.sample_qty:
        return
    raise DomainError(
        Code.FIRST_ARTICLE_PENDING,
        gettext(
            "First article not approved yet (%(status)s): %(step)s may report at most "
            "%(sample)s until the salesperson approves the sample."
        )
        % {
            "status": gate.get_status_display(),
            "step": work_order.step_name,
            "sample": f"{gate.sample_qty:,}",
        },
        kind=Kind.REFUSED,
        details={"sample_qty": gate.sample_qty, "status": gate.status},
    )


def sample_url(sample: FirstArticleSample) -> str:
    return reverse("web:production_first_article", args=[sample.first_article.work_order.number])


# ---- writes --------------------------------------------------------------------------------


def _locked(actor: Any, work_order: str) -> FirstArticle:
    row = (
        FirstArticle.objects.filter(work_order__number=work_order)
        .values_list("order__number", flat=True)
        .first()
    )
    if row is None:
        raise not_found("first_article")
    order_locks.order_for_update(row, visible_to=actor)
    return (
        FirstArticle.objects.select_for_update(of=("self",))
        .select_related("work_order", "order__salesperson", "order__merchandiser")
        .get(work_order__number=work_order)
    )


def _state(gate: FirstArticle, *allowed: str) -> None:
    if gate.status not in allowed:
        raise DomainError(
            Code.FIRST_ARTICLE_STATE,
            gettext("The first article of %(wo)s is %(status)s: nothing to do here.")
            % {"wo": gate.work_order.number, "status": gate.get_status_display()},
            kind=Kind.REFUSED,
            details={"status": gate.status},
        )


def _photos(photos: Sequence[IO[bytes]]) -> list[IO[bytes]]:
    photos = [f for f in photos if f is not None]
    if len(photos) > MAX_PHOTOS:
        raise invalid(
            Code.FIRST_ARTICLE_NO_PHOTO,
            gettext("At most %(n)s photos at a time.") % {"n": MAX_PHOTOS},
            field="photos",
        )
    for photo in photos:
        check_file(photo)
    return photos


def _attach(actor: Any, sample: FirstArticleSample, photos: Sequence[IO[bytes]]) -> None:
    for photo in photos:
        store_attachment(actor=actor, model=SAMPLE_MODEL, key=sample.number, file=photo)


def photo_count(sample: FirstArticleSample) -> int:
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(FirstArticleSample),
        object_id=sample.pk,
        removed_at__isnull=True,
        mime_type__startswith="image/",
    ).count()


@verb(p.SUBMIT_FIRST_ARTICLE)
def submit_sample(
    *, work_order: str, actor: Any, note: str = "", photos: Sequence[IO[bytes]] = ()
) -> FirstArticleSample:
    """Production sends a sample to the salesperson (the first, or the next after a rejection).
    The photos are checked before anything is written."""
    photos = _photos(photos)
    with transaction.atomic(durable=True):
        gate = _locked(actor, work_order)
        _state(gate, FirstArticleStatus.AWAITING_SAMPLE, FirstArticleStatus.REJECTED)
        round_ = gate.samples.count() + 1
        now = timezone.now()
        sample = FirstArticleSample.objects.create(
            first_article=gate,
            number=f"{gate.work_order.number}-S{round_}",
            round=round_,
            note=note.strip()[:500],
            submitted_by=actor,
            submitted_at=now,
        )
        gate.status, gate.submitted_at, gate.decided_at = FirstArticleStatus.SUBMITTED, now, None
        gate._history_user = actor  # type: ignore[attr-defined]
        gate.save(update_fields=["status", "submitted_at", "decided_at"])
        record(
            kind=p.FIRST_ARTICLE_SUBMITTED,
            actor=actor,
            order=gate.order,
            subject=sample,
            comment=sample.note,
            payload={"work_order": work_order, "round": round_, "photos": len(photos)},
        )
        notify(
            users=[gate.order.salesperson],
            kind=p.FIRST_ARTICLE_SUBMITTED,
            text=_worded(
                gettext_noop("A first article waits for your approval: %(wo)s (order %(order)s)."),
                wo=work_order,
                order=gate.order.number,
            ),
            url=sample_url(sample),
            actor=actor,
        )
    _attach(actor, sample, photos)
    return sample


def _decider(gate: FirstArticle, actor: Any) -> None:
    if gate.order.salesperson_id == actor.pk or "sales_manager" in role_names(actor):
        return
    raise DomainError(
        Code.NOT_THE_SALESPERSON,
        gettext("Only the order's salesperson, %(who)s, or a sales manager decides this sample.")
        % {"who": gate.order.salesperson},
        kind=Kind.FORBIDDEN,
    )


def _latest(gate: FirstArticle) -> FirstArticleSample:
    return gate.samples.order_by("-round").select_for_update().first()  # type: ignore[return-value]


@step
def _decide(
    *, work_order: str, decision: str, note: str, text: Any, actor: Any
) -> FirstArticleSample:
    """The salesperson's decision on the latest sample, under the order's lock: the sample and
    the gate say it (who, when), the timeline and the sender and merchandiser are told."""
    with transaction.atomic(durable=True):
        gate = _locked(actor, work_order)
        _decider(gate, actor)
        _state(gate, FirstArticleStatus.SUBMITTED)
        sample = _latest(gate)
        if decision == FirstArticleStatus.APPROVED and not photo_count(sample):
            raise DomainError(
                Code.FIRST_ARTICLE_NO_PHOTO,
                gettext("Sample %(sample)s has no photo yet: a sample is approved on its photos.")
                % {"sample": sample.number},
                kind=Kind.REFUSED,
            )
        now = timezone.now()
        sample.decision, sample.decision_note = decision, note.strip()[:1000]
        sample.decided_by, sample.decided_at = actor, now
        sample.save(update_fields=["decision", "decision_note", "decided_by", "decided_at"])
        gate.status, gate.decided_at = decision, now
        gate._history_user = actor  # type: ignore[attr-defined]
        gate.save(update_fields=["status", "decided_at"])
        kind = (
            p.FIRST_ARTICLE_APPROVED
            if decision == FirstArticleStatus.APPROVED
            else p.FIRST_ARTICLE_REJECTED
        )
        record(
            kind=kind,
            actor=actor,
            order=gate.order,
            subject=sample,
            comment=sample.decision_note,
            payload={"work_order": work_order, "round": sample.round},
        )
        notify(
            users=[sample.submitted_by, gate.order.merchandiser],
            kind=kind,
            text=text,
            url=sample_url(sample),
            actor=actor,
        )
    return sample


@verb(p.DECIDE_FIRST_ARTICLE)
def approve_sample(*, work_order: str, actor: Any, note: str = "") -> FirstArticleSample:
    """The salesperson approves the latest sample: the step may be produced in full. A sample
    without a photo cannot be approved."""
    return _decide(
        work_order=work_order,
        decision=FirstArticleStatus.APPROVED,
        note=note,
        text=_worded(
            gettext_noop("First article %(wo)s approved: mass production may go on."),
            wo=work_order,
        ),
        actor=actor,
    )


@verb(p.DECIDE_FIRST_ARTICLE)
def reject_sample(
    *, work_order: str, deviation: str, actor: Any, photos: Sequence[IO[bytes]] = ()
) -> FirstArticleSample:
    """The salesperson rejects the latest sample with the deviation (what is wrong, photos);
    it goes back to production, who submits another."""
    deviation = deviation.strip()
    if not deviation:
        raise invalid(
            Code.REASON_REQUIRED,
            gettext("Say what is wrong with the sample (the deviation)."),
            field="deviation",
        )
    photos = _photos(photos)
    sample = _decide(
        work_order=work_order,
        decision=FirstArticleStatus.REJECTED,
        note=deviation,
        text=_worded(
            gettext_noop("First article %(wo)s rejected: %(deviation)s"),
            wo=work_order,
            deviation=deviation[:200],
        ),
        actor=actor,
    )
    _attach(actor, sample, photos)
    return sample


def overdue_since() -> Any:
    return timezone.now() - timedelta(hours=wait_hours())
