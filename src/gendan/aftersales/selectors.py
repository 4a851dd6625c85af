"""What after-sales reads, always for an actor: a salesperson sees their own customers' samples
and complaints (and the samples they asked for); "not yours" and "not there" are one 404."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from gendan.accounts.models import User
from gendan.accounts.permissions import Perm, Role
from gendan.aftersales.models import (
    Campaign,
    Complaint,
    ComplaintStatus,
    Resolution,
    Sample,
    SampleStatus,
    TeamAssignment,
)
from gendan.attachments.models import Attachment
from gendan.errors import not_found
from gendan.parties.selectors import visible_customers

OPEN_SAMPLE = (
    SampleStatus.REQUESTED,
    SampleStatus.ACCEPTED,
    SampleStatus.MADE,
    SampleStatus.REVIEWED,
)
OPEN_COMPLAINT = (ComplaintStatus.LOGGED, ComplaintStatus.CONFIRMED)


def _photos(model: type[Any]) -> Exists:
    return Exists(
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=OuterRef("pk"),
            removed_at__isnull=True,
        )
    )


def samples(actor: Any) -> QuerySet[Sample]:
    qs = Sample.objects.select_related(
        "customer", "product", "requested_by", "merchandiser", "order", "campaign"
    )
    if actor is None or not actor.is_authenticated:
        return qs.none()
    if not actor.can(Perm.VIEW_ALL):
        qs = qs.filter(
            Q(customer__in=visible_customers(actor).values("pk")) | Q(requested_by=actor)
        )
    return qs.order_by("-id")


def with_photo(qs: QuerySet[Sample]) -> QuerySet[Sample]:
    """Each sample with whether a photo is filed (one EXISTS in the same query)."""
    return qs.annotate(has_photo=_photos(Sample))


def get_sample_for(actor: Any, number: str) -> Sample:
    found = with_photo(samples(actor)).filter(number=number).first()
    if found is None:
        raise not_found("sample")
    return found


def complaints(actor: Any) -> QuerySet[Complaint]:
    qs = Complaint.objects.select_related(
        "customer", "order", "line", "product", "logged_by", "manager", "decided_by"
    )
    if actor is None or not actor.is_authenticated:
        return qs.none()
    if not actor.can(Perm.VIEW_ALL):
        qs = qs.filter(customer__in=visible_customers(actor).values("pk"))
    return qs.order_by("-id")


def get_complaint_for(actor: Any, number: str) -> Complaint:
    found = (
        complaints(actor)
        .select_related("counting_error__plan", "counting_error__person")
        .filter(number=number)
        .first()
    )
    if found is None:
        raise not_found("complaint")
    return found


def loading_plans_of(complaint: Complaint) -> list[str]:
    """The loading plans that loaded the complaint's order (a count complaint's candidates)."""
    if complaint.order_id is None:
        return []
    from gendan.loading.models import LoadingPlan

    return list(
        LoadingPlan.objects.filter(items__order_id=complaint.order_id)
        .order_by("number")
        .values_list("number", flat=True)
        .distinct()
    )


def resolutions_of(complaint: Complaint) -> list[Resolution]:
    return list(
        Resolution.objects.filter(complaint=complaint)
        .select_related("owner", "order", "closed_by", "credit_note")
        .order_by("id")
    )


def campaigns(actor: Any) -> QuerySet[Campaign]:
    return (
        Campaign.objects.select_related("product", "created_by")
        .annotate(
            stores=Count("samples"),
            received=Count(
                "samples",
                filter=Q(samples__status__in=(SampleStatus.RECEIVED, SampleStatus.FEEDBACK)),
            ),
        )
        .order_by("-id")
    )


def manager_of(salesperson: Any) -> Any:
    """The salesperson's sales manager (the team assignment), or None."""
    if salesperson is None:
        return None
    row = TeamAssignment.objects.select_related("manager").filter(salesperson=salesperson).first()
    return row.manager if row is not None else None


def sales_managers() -> QuerySet[User]:
    return User.objects.filter(groups__name=Role.SALES_MANAGER, is_active=True).order_by("id")


# ---- Today ---------------------------------------------------------------------------------


def samples_to_send(actor: Any) -> QuerySet[Sample]:
    """The merchandiser's samples on the way to being sent (theirs, or not yet accepted)."""
    return (
        samples(actor)
        .filter(status__in=OPEN_SAMPLE)
        .filter(Q(merchandiser=actor) | Q(merchandiser__isnull=True))
        .order_by("needed_by", "id")
    )


def samples_to_confirm(actor: Any) -> QuerySet[Sample]:
    """Sent, and not yet confirmed received: the merchandiser asks the customer."""
    return (
        samples(actor)
        .filter(status=SampleStatus.SENT)
        .filter(Q(merchandiser=actor) | Q(merchandiser__isnull=True))
        .order_by("sent_on", "id")
    )


def my_customers_samples(actor: Any) -> QuerySet[Sample]:
    return (
        samples(actor)
        .filter(Q(customer__salesperson=actor) | Q(requested_by=actor))
        .exclude(status__in=(SampleStatus.FEEDBACK, SampleStatus.CANCELLED))
        .order_by("needed_by", "id")
    )


def complaints_to_decide(actor: Any) -> QuerySet[Complaint]:
    """Logged complaints asked of this manager, or of no manager in particular."""
    return (
        complaints(actor)
        .filter(status=ComplaintStatus.LOGGED)
        .filter(Q(manager=actor) | Q(manager__isnull=True))
        .order_by("logged_at", "id")
    )


def open_complaints(actor: Any) -> QuerySet[Complaint]:
    return complaints(actor).filter(status__in=OPEN_COMPLAINT).order_by("logged_at", "id")


def my_customers_complaints(actor: Any) -> QuerySet[Complaint]:
    return open_complaints(actor).filter(customer__salesperson=actor)


def resolutions_due(actor: Any) -> QuerySet[Resolution]:
    """Open resolutions the actor owns, the soonest due first."""
    return (
        Resolution.objects.filter(owner=actor, closed_at__isnull=True)
        .filter(complaint__in=complaints(actor).values("pk"))
        .select_related("complaint__customer", "order")
        .order_by("due_on", "id")
    )


# ---- the daily summary and the rate ----------------------------------------------------------


def day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, start + timedelta(days=1)


def complaints_of_day(actor: Any, day: date) -> QuerySet[Complaint]:
    start, end = day_bounds(day)
    return complaints(actor).filter(logged_at__gte=start, logged_at__lt=end).order_by("id")


def summary_rows(actor: Any, day: date) -> dict[str, Any]:
    """The day's complaints, and every complaint still open with its age in days."""
    logged = list(complaints_of_day(actor, day))
    still_open = list(open_complaints(actor))
    for c in still_open:
        c.age_days = (day - timezone.localtime(c.logged_at).date()).days  # type: ignore[attr-defined]
    by_kind: dict[str, int] = {}
    for c in logged:
        by_kind[c.kind] = by_kind.get(c.kind, 0) + 1
    return {"day": day, "logged": logged, "open": still_open, "by_kind": by_kind}


def sample_rate(actor: Any) -> list[dict[str, Any]]:
    """Samples sent and those an order followed, per salesperson (the requester) and product."""
    rows = (
        samples(actor)
        .exclude(status__in=(SampleStatus.CANCELLED,))
        .filter(sent_on__isnull=False)
        .values("requested_by__username", "requested_by__display_name", "product__code")
        .annotate(sent=Count("id"), ordered=Count("id", filter=Q(order__isnull=False)))
        .order_by("requested_by__username", "product__code")
    )
    out = []
    for r in rows:
        sent = r["sent"]
        out.append(
            {
                "salesperson": r["requested_by__display_name"] or r["requested_by__username"],
                "product": r["product__code"] or "",
                "sent": sent,
                "ordered": r["ordered"],
                "rate": round(100 * r["ordered"] / sent, 1) if sent else 0.0,
            }
        )
    return out
