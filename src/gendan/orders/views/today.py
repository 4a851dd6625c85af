"""Today (今日跟单): the merchandiser's daily review on one screen, and marking a follow-up done."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from gendan import extensions, prices
from gendan.accounts.roles import role_names
from gendan.errors import DomainError
from gendan.parties.services import complete_follow_up

#: rows a Today section shows before "and N more"
SECTION_ROWS = 50


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """Each role's own work: the sections the apps contribute for the user's roles."""
    user = request.user
    day = timezone.localdate()
    sections = [
        {"section": section, "data": section.build(user, day, SECTION_ROWS, request)}
        for section in extensions.today_sections_for(set(role_names(user)))
    ]
    review = next(
        (s["data"].extra["review"] for s in sections if s["section"].key == "review"), None
    )
    context = {
        "today": day,
        "sections": sections,
        "review": review,
        "busy": any(s["data"].count for s in sections),
    }
    return render(request, "orders/today.html", context)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or reverse("web:today")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("web:today")
    return target


@login_required
@require_POST
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        complete_follow_up(actor=request.user, communication_id=pk)
    except DomainError as exc:
        messages.error(request, prices.error_text(exc, request.user))
    else:
        messages.success(request, gettext("Follow-up done."))
    return HttpResponseRedirect(_next(request))
