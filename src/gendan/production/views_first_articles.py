"""The first article's pages: the list of gates (what waits for a sample, for the salesperson),
and one work order's first article: its samples with their photos, production's form to send a
sample from the phone, the salesperson's approval or rejection (the deviation, photos)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from gendan import prices
from gendan.attachments.models import Attachment
from gendan.errors import DomainError
from gendan.production import permissions as p
from gendan.production import selectors
from gendan.production.models import FirstArticleStatus
from gendan.production.services import first_articles

PERMS = (p.SUBMIT_FIRST_ARTICLE, p.DECIDE_FIRST_ARTICLE)


def _may_see(user: Any) -> None:
    if not any(user.can(code) for code in PERMS):
        raise PermissionDenied


@login_required
def first_article_list(request: HttpRequest) -> HttpResponse:
    """Open gates first (to submit, waiting, rejected), then the approved; 100 at most."""
    _may_see(request.user)
    status = request.GET.get("status", "")
    qs = selectors.first_articles_for(request.user)
    if status in FirstArticleStatus.values:
        qs = qs.filter(status=status)
    elif request.user.can(p.DECIDE_FIRST_ARTICLE) and not request.user.can(p.SUBMIT_FIRST_ARTICLE):
        qs = qs.filter(order__salesperson=request.user)
    context = {
        "gates": list(qs[:100]),
        "statuses": FirstArticleStatus.choices,
        "status": status,
    }
    return render(request, "production/first_articles.html", context)


@login_required
def first_article(request: HttpRequest, work_order: str) -> HttpResponse:
    _may_see(request.user)
    try:
        gate = selectors.first_article_for(request.user, work_order)
    except DomainError as exc:
        raise Http404 from exc
    if request.method == "POST":
        what = request.POST.get("what", "")
        photos = request.FILES.getlist("photos")
        try:
            if what == "submit":
                if not photos:
                    raise _no_photo()
                first_articles.submit_sample(
                    work_order=work_order,
                    note=request.POST.get("note", ""),
                    photos=photos,
                    actor=request.user,
                )
                done = gettext("Sample sent to the salesperson.")
            elif what == "approve":
                first_articles.approve_sample(
                    work_order=work_order, note=request.POST.get("note", ""), actor=request.user
                )
                done = gettext("First article approved.")
            elif what == "reject":
                first_articles.reject_sample(
                    work_order=work_order,
                    deviation=request.POST.get("deviation", ""),
                    photos=photos,
                    actor=request.user,
                )
                done = gettext("First article rejected: back to production.")
            else:
                raise Http404
        except DomainError as exc:
            return _page(request, gate, error=prices.error_text(exc, request.user), status=422)
        messages.success(request, done)
        return redirect(request.path)
    return _page(request, gate)


def _no_photo() -> DomainError:
    from gendan.errors import invalid
    from gendan.production.errors import Code

    return invalid(
        Code.FIRST_ARTICLE_NO_PHOTO,
        gettext("Take at least one photo of the sample."),
        field="photos",
    )


def _page(request: HttpRequest, gate: Any, *, error: str = "", status: int = 200) -> HttpResponse:
    samples = list(gate.samples.select_related("submitted_by", "decided_by").order_by("-round"))
    files: dict[int, list[Any]] = {}
    if samples:
        for f in Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(samples[0]),
            object_id__in=[s.pk for s in samples],
            removed_at__isnull=True,
        ).order_by("pk"):
            files.setdefault(f.object_id, []).append(f)
    for sample in samples:
        sample.files = files.get(sample.pk, [])
    user = request.user
    decides = user.can(p.DECIDE_FIRST_ARTICLE) and gate.status == FirstArticleStatus.SUBMITTED
    context = {
        "gate": gate,
        "samples": samples,
        "error": error,
        "typed": request.POST if error else {},
        "may_submit": user.can(p.SUBMIT_FIRST_ARTICLE)
        and gate.status in (FirstArticleStatus.AWAITING_SAMPLE, FirstArticleStatus.REJECTED),
        "may_decide": decides,
    }
    return render(request, "production/first_article.html", context, status=status)
