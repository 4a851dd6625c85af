"""The first article over HTTP (/api/v1/production/first-articles/...): the gates of the orders
you see, one work order's gate with its samples, and the three verbs: submit a sample (multipart,
photos in ``photos``), approve it, reject it with the deviation. No price is in any of it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from gendan.apiconventions import caller, errors, page_by_key
from gendan.attachments.models import Attachment
from gendan.production import selectors
from gendan.production.models import FirstArticle, FirstArticleSample
from gendan.production.services import first_articles

router = Router(tags=["production"])


class PhotoOut(Schema):
    id: int
    name: str
    url: str


class SampleOut(Schema):
    number: str
    round: int
    note: str
    submitted_by: str
    submitted_at: datetime
    decision: str
    decision_note: str
    decided_by: str | None
    decided_at: datetime | None
    photos: list[PhotoOut]


class FirstArticleOut(Schema):
    work_order: str
    order: str
    step: str
    product: str
    causes: list[str]
    sample_qty: int
    status: str
    submitted_at: datetime | None
    decided_at: datetime | None


class FirstArticleDetailOut(FirstArticleOut):
    samples: list[SampleOut]


class FirstArticlePage(Schema):
    items: list[FirstArticleOut]
    next_cursor: str | None


def gate_out(gate: FirstArticle) -> dict[str, Any]:
    return {
        "work_order": gate.work_order.number,
        "order": gate.order.number,
        "step": gate.work_order.step_name,
        "product": gate.work_order.notice_line.line.product.code,
        "causes": list(gate.causes),
        "sample_qty": gate.sample_qty,
        "status": gate.status,
        "submitted_at": gate.submitted_at,
        "decided_at": gate.decided_at,
    }


def detail_out(gate: FirstArticle) -> dict[str, Any]:
    samples = list(gate.samples.select_related("submitted_by", "decided_by").order_by("round"))
    photos: dict[int, list[dict[str, Any]]] = {}
    for a in Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(FirstArticleSample),
        object_id__in=[s.pk for s in samples],
        removed_at__isnull=True,
    ).order_by("pk"):
        photos.setdefault(a.object_id, []).append(
            {"id": a.pk, "name": a.name, "url": reverse("web:attachment_download", args=[a.pk])}
        )
    return {
        **gate_out(gate),
        "samples": [
            {
                "number": s.number,
                "round": s.round,
                "note": s.note,
                "submitted_by": s.submitted_by.username,
                "submitted_at": s.submitted_at,
                "decision": s.decision,
                "decision_note": s.decision_note,
                "decided_by": s.decided_by.username if s.decided_by else None,
                "decided_at": s.decided_at,
                "photos": photos.get(s.pk, []),
            }
            for s in samples
        ],
    }


@router.get("/first-articles", response={200: FirstArticlePage, **errors()})
def list_first_articles(
    request: HttpRequest,
    status: str | None = Query(None, max_length=16),
    order: str | None = Query(None, max_length=30),
    after: int | None = Query(None, ge=1, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    """First-article gates (首件) of the orders you see, by status or order."""
    qs = selectors.first_articles_for(caller(request))
    if status:
        qs = qs.filter(status=status)
    if order:
        qs = qs.filter(order__number=order)
    rows, cursor = page_by_key(qs, key="id", after=after, limit=limit)
    return {"items": [gate_out(g) for g in rows], "next_cursor": cursor}


@router.get("/first-articles/{work_order}", response={200: FirstArticleDetailOut, **errors(404)})
def read_first_article(request: HttpRequest, work_order: str):
    return detail_out(selectors.first_article_for(caller(request), work_order))


@router.post(
    "/first-articles/{work_order}/samples",
    response={201: FirstArticleDetailOut, **errors(403, 404, 409)},
)
def submit_sample(
    request: HttpRequest,
    work_order: str,
    note: Form[str] = "",
    photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]
):
    """Send a sample (multipart: ``note``, ``photos``, each checked as an attachment is)."""
    actor = caller(request)
    first_articles.submit_sample(
        work_order=work_order, note=note[:500], photos=photos or [], actor=actor
    )
    return Status(201, detail_out(selectors.first_article_for(actor, work_order)))


class ApproveIn(Schema):
    note: str = Field("", max_length=1000)


class RejectIn(Schema):
    deviation: str = Field(min_length=1, max_length=1000, description="What is wrong.")


@router.post(
    "/first-articles/{work_order}/approve",
    response={200: FirstArticleDetailOut, **errors(403, 404, 409)},
)
def approve_sample(request: HttpRequest, work_order: str, data: ApproveIn):
    """The order's salesperson (or a sales manager) approves the latest sample."""
    actor = caller(request)
    first_articles.approve_sample(work_order=work_order, note=data.note, actor=actor)
    return detail_out(selectors.first_article_for(actor, work_order))


@router.post(
    "/first-articles/{work_order}/reject",
    response={200: FirstArticleDetailOut, **errors(403, 404, 409)},
)
def reject_sample(request: HttpRequest, work_order: str, data: RejectIn):
    """Reject the latest sample with the deviation; photos of it through the sample's page."""
    actor = caller(request)
    first_articles.reject_sample(work_order=work_order, deviation=data.deviation, actor=actor)
    return detail_out(selectors.first_article_for(actor, work_order))
