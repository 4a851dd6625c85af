"""Logistics' pages: the merchandiser's dispatch of a day (requests, suggested trips, trips with
their load, the printed A4 sheet) which the warehouse also uses to mark trips prepared and gone;
the driver's phone page (own trips of today only); the cashier's cash handed in; the driver
scores (table, chart, Excel)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext

from gendan import prices
from gendan.accounts.permissions import Perm
from gendan.attachments import services as attachments
from gendan.errors import DomainError
from gendan.logistics import permissions as p
from gendan.logistics import scores, selectors, services
from gendan.logistics.models import Driver, ProblemKind, Vehicle

PLAN_PERMS = (p.PLAN_DISPATCH, p.PREPARE_TRIP)


def _may(user: Any, perms: tuple[str, ...]) -> None:
    if not any(user.can(code) for code in perms):
        raise PermissionDenied


def _day(raw: str | None, default: date) -> date:
    try:
        return parse_date(raw or "") or default
    except ValueError:
        return default


def _typed(request: HttpRequest) -> dict[str, str]:
    return {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}


def _time(raw: str) -> Any:
    try:
        return datetime.strptime(raw.strip(), "%H:%M").time()
    except ValueError:
        return None


def _plan_post(request: HttpRequest, day: date) -> str:
    """One write of the plan page; returns the message of a refusal ("" when done)."""
    what, post, user = request.POST.get("what", ""), request.POST, request.user
    if what == "request":
        services.request_delivery(
            actor=user,
            notice=post.get("notice", "").strip(),
            day=_day(post.get("day"), day),
            late_reason=post.get("late_reason", ""),
        )
    elif what == "plan":
        departure = _time(post.get("departure", ""))
        if departure is None:
            return gettext("Enter the departure time (HH:MM).")
        services.plan_trip(
            actor=user,
            day=day,
            vehicle=post.get("vehicle", ""),
            driver=post.get("driver", ""),
            departure=departure,
            notices=post.getlist("notices"),
        )
    elif what == "add":
        services.add_to_trip(actor=user, trip=post.get("trip", ""), notices=post.getlist("notices"))
    elif what == "remove":
        services.take_off_trip(actor=user, notice=post.get("notice", ""))
    elif what == "prepare":
        services.prepare_trip(actor=user, trip=post.get("trip", ""))
    elif what == "depart":
        services.depart_trip(actor=user, trip=post.get("trip", ""))
    else:
        return gettext("Nothing to do.")
    return ""


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    """The dispatch of a day (tomorrow by default)."""
    _may(request.user, (*PLAN_PERMS, p.REQUEST_DELIVERY))
    day = _day(
        request.GET.get("day") or request.POST.get("plan_day"),
        timezone.localdate() + timedelta(days=1),
    )
    error, typed, status = "", {}, 200
    if request.method == "POST":
        try:
            error = _plan_post(request, day)
        except DomainError as exc:
            error = prices.error_text(exc, request.user)
        if not error:
            return redirect(f"{request.path}?day={day.isoformat()}")
        typed, status = _typed(request), 422
    trips = list(selectors.trips_of(day))
    loads = selectors.trip_loads(trips)
    context = {
        "day": day,
        "prev": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "requests": list(selectors.requests_of(day).order_by("stop", "id")),
        "suggestions": selectors.suggest_trips(day),
        "trips": [(t, loads.get(t.pk)) for t in trips],
        "vehicles": list(Vehicle.objects.filter(active=True)),
        "drivers": list(Driver.objects.filter(active=True).select_related("user")),
        "cutoff": services.cutoff(),
        "may_plan": request.user.can(p.PLAN_DISPATCH),
        "may_prepare": request.user.can(p.PREPARE_TRIP),
        "may_request": request.user.can(p.REQUEST_DELIVERY),
        "may_accept_late": request.user.can(p.ACCEPT_LATE_DELIVERY),
        "show_prices": request.user.can(Perm.VIEW_PRICES),
        "error": error,
        "typed": typed,
    }
    return render(request, "logistics/plan.html", context, status=status)


@login_required
def plan_pdf(request: HttpRequest) -> HttpResponse:
    """The day's dispatch printed on A4 in Chinese: per trip the stops, the goods, what to
    collect (amounts only for those who see prices)."""
    _may(request.user, PLAN_PERMS)
    from django.utils import translation

    from gendan.shipping.documents import font_url, render_pdf

    day = _day(request.GET.get("day"), timezone.localdate() + timedelta(days=1))
    trips = list(selectors.trips_of(day))
    loads = selectors.trip_loads(trips)
    with translation.override("zh-hans"):
        html = render_to_string(
            "logistics/plan_pdf.html",
            {
                "day": day,
                "trips": [(t, loads.get(t.pk)) for t in trips],
                "show_prices": request.user.can(Perm.VIEW_PRICES),
                "font_url": font_url(for_pdf=True),
            },
        )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="dispatch-{day.isoformat()}.pdf"'
    return response


@login_required
def driver(request: HttpRequest) -> HttpResponse:
    """The driver's phone page: only their own trips of today, stop by stop."""
    _may(request.user, (p.DRIVE,))
    error, typed, status, failed_stop = "", {}, 200, ""
    if request.method == "POST":
        post, stop = request.POST, post_int(request.POST.get("stop"))
        failed_stop = str(stop)
        try:
            if post.get("what") == "problem":
                services.report_problem(
                    actor=request.user,
                    stop=stop,
                    kind=post.get("problem_kind", ""),
                    reason=post.get("problem_reason", ""),
                )
            else:
                for upload in request.FILES.getlist("photos"):
                    attachments.attach_file(
                        actor=request.user,
                        model="logistics.stop",
                        key=str(stop),
                        file=upload,
                        name=upload.name,
                    )
                services.deliver_stop(
                    actor=request.user,
                    stop=stop,
                    received_by=post.get("received_by", ""),
                    cash_collected=post.get("cash_collected", "") or "0",
                    cash_note=post.get("cash_note", ""),
                    unloaded=bool(post.get("unloaded")),
                    installed=bool(post.get("installed")),
                )
        except DomainError as exc:
            # the driver's one exception to the price rule: the cash of their own stop is named
            error = (
                str(exc.message)
                if exc.code == "logistics_cash_difference"
                else prices.error_text(exc, request.user)
            )
            typed, status = _typed(request), 422
        else:
            return redirect(request.path)
    trips = list(selectors.todays_trips(request.user))
    stops = [s for t in trips for s in t.stops.all()]
    cash, photos = selectors.cash_by_stop(stops), selectors.photo_counts(stops)
    for row in stops:  # the prefetched rows the template walks
        row.cash = cash.get(row.pk, Decimal("0.00"))  # type: ignore[attr-defined]
        row.photo_count = photos.get(row.pk, 0)  # type: ignore[attr-defined]
    context = {
        "trips": trips,
        "problem_kinds": ProblemKind.choices,
        "error": error,
        "typed": typed,
        "failed_stop": failed_stop,
    }
    return render(request, "logistics/driver.html", context, status=status)


def post_int(raw: str | None) -> int:
    try:
        return int(raw or "")
    except ValueError:
        return 0


@login_required
def cash(request: HttpRequest) -> HttpResponse:
    """The cashier's page: per driver and day, collected against received; the differences."""
    _may(request.user, (p.RECEIVE_CASH, p.PLAN_DISPATCH))
    if not request.user.can(Perm.VIEW_PRICES):
        raise PermissionDenied
    error, typed, status = "", {}, 200
    if request.method == "POST":
        post = request.POST
        try:
            services.record_cash_handover(
                actor=request.user,
                driver=post.get("driver", ""),
                day=_day(post.get("day"), timezone.localdate()),
                received=post.get("received", ""),
                reason=post.get("reason", ""),
            )
        except DomainError as exc:
            error = prices.error_text(exc, request.user)
            typed, status = _typed(request), 422
        else:
            return redirect(request.path)
    context = {
        "rows": selectors.cash_to_receive(),
        "differences": list(selectors.differences()),
        "may_receive": request.user.can(p.RECEIVE_CASH),
        "error": error,
        "typed": typed,
    }
    return render(request, "logistics/cash.html", context, status=status)


@login_required
def driver_scores(request: HttpRequest) -> HttpResponse:
    _may(request.user, (p.VIEW_DRIVER_SCORES,))
    month = scores.month_of(request.GET.get("month"))
    error, status = "", 200
    if request.method == "POST":
        try:
            services.mark_driver(
                actor=request.user,
                driver=request.POST.get("driver", ""),
                month=month,
                points=post_int(request.POST.get("points")),
                note=request.POST.get("note", ""),
            )
        except DomainError as exc:
            error, status = prices.error_text(exc, request.user), 422
        else:
            return redirect(f"{request.path}?month={month:%Y-%m}")
    rows = scores.monthly(month)
    context = {
        "month": month,
        "rows": rows,
        "chart": scores.chart(rows),
        "formula": scores.FORMULA,
        "drivers": list(Driver.objects.select_related("user")),
        "may_mark": request.user.can(p.MARK_DRIVER),
        "show_prices": request.user.can(Perm.VIEW_PRICES),
        "error": error,
    }
    return render(request, "logistics/scores.html", context, status=status)


@login_required
def driver_scores_xlsx(request: HttpRequest) -> HttpResponse:
    _may(request.user, (p.VIEW_DRIVER_SCORES,))
    month = scores.month_of(request.GET.get("month"))
    data = scores.export(month, actor=request.user)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="driver-scores-{month:%Y-%m}.xlsx"'
    return response


@login_required
def today_section(request: HttpRequest, key: str) -> HttpResponse:
    """One of logistics' Today sections, drawn after Today has loaded."""
    from gendan import extensions
    from gendan.accounts.roles import role_names
    from gendan.logistics.contributions import SECTIONS

    section = extensions.registry.today_sections.get(key)
    if key not in SECTIONS or section is None or not section.roles & set(role_names(request.user)):
        raise Http404
    request.logistics_section = True  # type: ignore[attr-defined]
    data = section.build(request.user, timezone.localdate(), 50, request)
    return render(request, section.template, {"section": section, "data": data})


@login_required
def export_shipments(request: HttpRequest) -> HttpResponse:
    """The export shipments and, with ``?shipment=``, one booking's checklist: each step's
    owner, due date, done by whom and when; its files (booking confirmation, declarations...)."""
    from gendan.attachments.selectors import files_of
    from gendan.logistics import exports
    from gendan.logistics.models import ExportShipment, Forwarder

    _may(request.user, (p.MANAGE_EXPORTS,))
    number = request.GET.get("shipment") or request.POST.get("shipment", "")
    error, status = "", 200
    if request.method == "POST":
        post = request.POST
        try:
            if post.get("what") == "open":
                opened = exports.open_export_shipment(
                    actor=request.user,
                    notices=post.get("notices", "").replace(",", " ").split(),
                    etd=_day(post.get("etd"), timezone.localdate()),
                    forwarder=post.get("forwarder", ""),
                    vessel_voyage=post.get("vessel_voyage", ""),
                    containers=post.get("containers", ""),
                )
                number = opened.number
            elif post.get("what") == "etd":
                exports.set_etd(
                    actor=request.user,
                    number=number,
                    etd=_day(post.get("etd"), timezone.localdate()),
                )
            else:
                for upload in request.FILES.getlist("files"):
                    attachments.attach_file(
                        actor=request.user,
                        model="logistics.exportshipment",
                        key=number,
                        file=upload,
                        name=upload.name,
                    )
                exports.complete_step(
                    actor=request.user,
                    number=number,
                    kind=post.get("kind", ""),
                    note=post.get("note", ""),
                )
        except DomainError as exc:
            error, status = prices.error_text(exc, request.user), 422
        else:
            return redirect(f"{request.path}?shipment={number}")
    shipment = (
        ExportShipment.objects.select_related("customer", "forwarder")
        .prefetch_related("steps__owner", "steps__done_by", "notices__order")
        .filter(number=number)
        .first()
        if number
        else None
    )
    context = {
        "shipments": list(
            ExportShipment.objects.select_related("customer", "forwarder").order_by("-id")[:50]
        ),
        "shipment": shipment,
        "files": list(files_of(shipment)) if shipment else [],
        "forwarders": list(Forwarder.objects.all()),
        "error": error,
        "today": timezone.localdate(),
        "show_prices": request.user.can(Perm.VIEW_PRICES),
    }
    return render(request, "logistics/export.html", context, status=status)


@login_required
def export_document(request: HttpRequest) -> HttpResponse:
    """The packing list or the commercial invoice of an export shipment, as a PDF."""
    from gendan.logistics import documents
    from gendan.shipping.documents import font_url, render_pdf

    _may(request.user, (p.MANAGE_EXPORTS,))
    kind = request.GET.get("doc", documents.PACKING_LIST)
    try:
        doc = documents.build(request.user, request.GET.get("shipment", ""), kind)
    except DomainError as exc:
        if exc.code == "permission_denied":
            raise PermissionDenied from exc
        raise Http404 from exc
    html = render_to_string(
        "logistics/export_document_pdf.html", {"doc": doc, "font_url": font_url(for_pdf=True)}
    )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{kind}-{doc.shipment.number}.pdf"'
    return response
