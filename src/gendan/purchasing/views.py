"""Purchasing's pages: the purchaser's home (drafts, late lines, in transit, purchase orders),
the purchase plan, a purchase order (confirm, override, amend, ship, receive, cancel, its PDF),
materials, packing (carton specs, plates), suppliers, supplier figures, slow-moving material,
an order's material readiness (the cockpit's panel) and the lazy Today sections."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext
from openpyxl import Workbook

from gendan import charts, prices
from gendan.errors import DomainError
from gendan.exports.sheets import append_row
from gendan.orders.selectors import get_order_for
from gendan.parties.models import Supplier
from gendan.purchasing import permissions as p
from gendan.purchasing import selectors, services
from gendan.purchasing.models import CartonSpec, Plate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _may_see(user: Any) -> None:
    if not user.can(p.VIEW):
        raise PermissionDenied


def _refusal(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, prices.error_text(exc, request.user))
    for r in exc.details.get("reasons", [])[1:]:
        messages.error(request, prices.reason_text(r, sees_prices=prices.sees_prices(request.user)))


def _dec(raw: str | None) -> Decimal | None:
    try:
        return Decimal((raw or "").strip())
    except InvalidOperation:
        return None


def _ctx(request: HttpRequest, **kw: Any) -> dict[str, Any]:
    user = request.user
    return {
        "costs": selectors.sees_costs(user),
        "may_buy": user.can(p.PURCHASE),
        "may_receive": user.can(p.RECEIVE),
        "may_override": user.can(p.OVERRIDE),
        "may_confirm_packing": user.can(p.CONFIRM_PACKING),
        "may_manage": user.can(p.MANAGE_MATERIALS),
        "today": timezone.localdate(),
        **kw,
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _may_see(request.user)
    today = timezone.localdate()
    return render(
        request,
        "purchasing/home.html",
        _ctx(
            request,
            drafts=list(selectors.drafts(request.user)[:50]),
            late=list(selectors.late_lines(request.user, today)[:50]),
            transit=list(selectors.in_transit(request.user)[:50]),
            orders=list(selectors.purchase_orders(request.user)[:50]),
            overrides=list(selectors.overrides(request.user)[:20]),
        ),
    )


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    """The purchase plan; the purchaser ticks rows and turns them into purchase orders."""
    _may_see(request.user)
    if request.method == "POST":
        selection = []
        for pick in request.POST.getlist("pick")[:200]:
            notice_line, _, material = pick.partition(":")
            quantity = _dec(request.POST.get(f"qty-{pick}"))
            if notice_line.isdigit() and quantity is not None:
                selection.append((int(notice_line), material, quantity))
        try:
            made = services.create_from_plan(selection=selection, actor=request.user)
        except DomainError as exc:
            _refusal(request, exc)
        else:
            messages.success(
                request,
                gettext("Purchase orders created: %(n)s.")
                % {"n": ", ".join(po.number for po in made)},
            )
            if len(made) == 1:
                return redirect("web:purchasing_po", made[0].number)
            return redirect("web:purchasing_home")
    order = (request.GET.get("order") or "")[:30] or None
    groups = selectors.purchase_plan(request.user, order=order)
    return render(request, "purchasing/plan.html", _ctx(request, groups=groups, order=order))


def _po_post(request: HttpRequest, number: str) -> None:
    what = request.POST.get("what", "")
    line = int(request.POST.get("line") or 0) if (request.POST.get("line") or "0").isdigit() else 0
    user = request.user
    if what == "confirm":
        services.confirm_line(line=line, actor=user)
        messages.success(request, gettext("Line confirmed."))
    elif what == "confirm_all":
        services.confirm_purchase_order(po=number, actor=user)
        messages.success(request, gettext("Lines confirmed."))
    elif what == "override":
        services.override_line(line=line, reason=request.POST.get("reason", ""), actor=user)
        messages.success(request, gettext("Line confirmed past the rule, with your reason."))
    elif what == "amend":
        promised = parse_date(request.POST.get("promised_on") or "")
        services.amend_line(
            line=line,
            actor=user,
            reason=request.POST.get("reason", ""),
            quantity=_dec(request.POST.get("quantity")) if request.POST.get("quantity") else None,
            unit_price=_dec(request.POST.get("unit_price"))
            if request.POST.get("unit_price")
            else None,
            promised_on=promised,
        )
        messages.success(request, gettext("Line amended."))
    elif what == "ship":
        services.record_shipment(
            line=line,
            quantity=_dec(request.POST.get("quantity")) or 0,
            expected_on=parse_date(request.POST.get("expected_on") or "") or timezone.localdate(),
            actor=user,
        )
        messages.success(request, gettext("Shipment recorded."))
    elif what == "receive":
        services.record_receipt(
            line=line,
            quantity=_dec(request.POST.get("quantity")) or 0,
            received_on=parse_date(request.POST.get("received_on") or "") or None,
            passed=request.POST.get("passed", "1") == "1",
            note=request.POST.get("note", "")[:500],
            actor=user,
        )
        messages.success(request, gettext("Receipt recorded."))
    elif what == "cancel":
        services.cancel_purchase_order(po=number, reason=request.POST.get("reason", ""), actor=user)
        messages.success(request, gettext("Purchase order cancelled."))
    else:
        raise Http404


@login_required
def po_detail(request: HttpRequest, po: str) -> HttpResponse:
    _may_see(request.user)
    try:
        found = selectors.po_for(request.user, po)
    except DomainError as exc:
        raise Http404 from exc
    status = 200
    if request.method == "POST":
        try:
            _po_post(request, po)
        except DomainError as exc:
            _refusal(request, exc)
            status = 409 if exc.kind == "refused" else 422
            if exc.kind == "forbidden":
                raise PermissionDenied from exc
        else:
            return redirect(request.path)
    lines = selectors.lines_of(found)
    return render(
        request,
        "purchasing/po.html",
        _ctx(request, po=found, lines=lines),
        status=200 if status == 200 else 422,
    )


@login_required
def po_pdf(request: HttpRequest, po: str) -> HttpResponse:
    """The purchase order for the supplier, in Chinese (prices only for who may see them)."""
    _may_see(request.user)
    try:
        found = selectors.po_for(request.user, po)
    except DomainError as exc:
        raise Http404 from exc
    from django.utils import translation

    from gendan.exports.services import record_export
    from gendan.shipping.documents import font_url, render_pdf

    lines = selectors.lines_of(found)
    with translation.override("zh-hans"):
        html = render_to_string(
            "purchasing/po_pdf.html",
            {
                "po": found,
                "lines": lines,
                "costs": selectors.sees_costs(request.user),
                "font_url": font_url(for_pdf=True),
                "total": sum(
                    (x.quantity * x.unit_price for x in lines if x.unit_price is not None),
                    Decimal(0),
                ),
            },
        )
    data = render_pdf(html)
    record_export(
        actor=request.user, what="purchase_order", filters={"po": po}, rows=len(lines), fmt="pdf"
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{found.number}.pdf"'
    return response


@login_required
def materials(request: HttpRequest) -> HttpResponse:
    _may_see(request.user)
    if request.method == "POST":
        try:
            services.adjust_stock(
                material=request.POST.get("material", "")[:40],
                quantity=request.POST.get("quantity", ""),
                note=request.POST.get("note", "")[:200],
                actor=request.user,
            )
        except DomainError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, gettext("Stock counted."))
        return redirect(request.path)
    return render(
        request,
        "purchasing/materials.html",
        _ctx(request, materials=list(selectors.materials()[:500])),
    )


def _xlsx(
    request: HttpRequest, name: str, header: list[str], rows: list[list[Any]]
) -> HttpResponse:
    from gendan.exports.services import record_export

    book = Workbook()
    sheet = book.active
    sheet.title = name[:31]
    append_row(sheet, header)
    for row in rows:
        append_row(sheet, row)
    out = BytesIO()
    book.save(out)
    record_export(
        actor=request.user, what=f"purchasing_{name}", filters={}, rows=len(rows), fmt="xlsx"
    )
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
def materials_export(request: HttpRequest) -> HttpResponse:
    _may_see(request.user)
    costs = selectors.sees_costs(request.user)
    header = [
        gettext("Code"),
        gettext("Name"),
        gettext("Class"),
        gettext("Unit"),
        gettext("Supplier"),
        gettext("Stock"),
        gettext("Reorder level"),
    ]
    if costs:
        header.append(gettext("Standard price"))
    rows = []
    for m in selectors.materials()[:5000]:
        row = [
            m.code,
            m.name,
            m.get_klass_display(),
            m.unit,
            m.supplier.name if m.supplier else "",
            m.stock or 0,
            m.reorder_level,
        ]
        if costs:
            row.append(m.standard_price)
        rows.append(row)
    return _xlsx(request, "materials", header, rows)


@login_required
def packing(request: HttpRequest) -> HttpResponse:
    """Carton specs (the salesperson confirms them) and plates (the salesperson approves the
    proof)."""
    _may_see(request.user)
    if request.method == "POST":
        what = request.POST.get("what", "")
        try:
            if what == "confirm_spec":
                services.confirm_carton_spec(
                    product=request.POST.get("product", "")[:40], actor=request.user
                )
            elif what in ("proof", "approve", "ready"):
                verb = {
                    "proof": services.send_plate_proof,
                    "approve": services.approve_plate_proof,
                    "ready": services.plate_ready,
                }[what]
                plate_id = request.POST.get("plate", "")
                verb(plate=int(plate_id) if plate_id.isdigit() else 0, actor=request.user)
            else:
                raise Http404
        except DomainError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, gettext("Saved."))
        return redirect(request.path)
    specs = list(
        CartonSpec.objects.select_related("product", "confirmed_by").order_by("product__code")[:500]
    )
    plates = list(Plate.objects.select_related("material", "supplier", "approved_by")[:500])
    return render(request, "purchasing/packing.html", _ctx(request, specs=specs, plates=plates))


@login_required
def suppliers(request: HttpRequest) -> HttpResponse:
    _may_see(request.user)
    rows = list(Supplier.objects.order_by("code")[:500])
    return render(request, "purchasing/suppliers.html", _ctx(request, suppliers=rows))


def _months(request: HttpRequest) -> int:
    raw = request.GET.get("months", "6")
    return min(24, max(1, int(raw))) if raw.isdigit() else 6


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """Per supplier and month: on time, quantity accuracy, quality; a chart of the on-time rate."""
    _may_see(request.user)
    months = _months(request)
    rows = selectors.supplier_figures(months=months)
    labels = sorted({r["month"] for r in rows})
    by_supplier: dict[str, dict[date, float | None]] = {}
    for r in rows:
        by_supplier.setdefault(r["supplier"], {})[r["month"]] = r["on_time_rate"]
    chart = (
        charts.bar(
            title=gettext("On-time rate by supplier"),
            description=gettext(
                "Share of purchase lines fully received by their promised date, per month."
            ),
            x_labels=[m.strftime("%Y-%m") for m in labels],
            series=[
                charts.Series(name, [values.get(m) for m in labels])
                for name, values in by_supplier.items()
            ],
            y_title="%",
            height=300,
        )
        if rows
        else None
    )
    return render(
        request, "purchasing/figures.html", _ctx(request, rows=rows, chart=chart, months=months)
    )


@login_required
def figures_export(request: HttpRequest) -> HttpResponse:
    _may_see(request.user)
    rows = selectors.supplier_figures(months=_months(request))
    header = [
        gettext("Supplier"),
        gettext("Month"),
        gettext("Lines due"),
        gettext("On time"),
        gettext("On-time rate (%)"),
        gettext("Quantity accuracy (%)"),
        gettext("Receipts"),
        gettext("Pass rate (%)"),
        gettext("Open lines"),
        gettext("Late lines"),
    ]
    return _xlsx(
        request,
        "supplier_figures",
        header,
        [
            [
                r["supplier"],
                r["month"].strftime("%Y-%m"),
                r["due"],
                r["on_time"],
                r["on_time_rate"],
                r["quantity_accuracy"],
                r["receipts"],
                r["pass_rate"],
                r["open"],
                r["late"],
            ]
            for r in rows
        ],
    )


def _days(request: HttpRequest) -> int:
    raw = request.GET.get("days", "90")
    return min(3650, max(1, int(raw))) if raw.isdigit() else 90


@login_required
def slow(request: HttpRequest) -> HttpResponse:
    _may_see(request.user)
    days = _days(request)
    return render(
        request,
        "purchasing/slow.html",
        _ctx(request, rows=selectors.slow_moving(days=days), days=days),
    )


@login_required
def slow_export(request: HttpRequest) -> HttpResponse:
    _may_see(request.user)
    costs = selectors.sees_costs(request.user)
    header = [
        gettext("Code"),
        gettext("Name"),
        gettext("Stock"),
        gettext("Last move"),
        gettext("Idle days"),
    ]
    if costs:
        header.append(gettext("Value"))
    rows = []
    for r in selectors.slow_moving(days=_days(request)):
        row = [r["material"].code, r["material"].name, r["stock"], r["last_move"], r["idle_days"]]
        if costs:
            row.append(r["value"])
        rows.append(row)
    return _xlsx(request, "slow_moving", header, rows)


@login_required
def readiness(request: HttpRequest, number: str) -> HttpResponse:
    """An order's material readiness (the cockpit's panel, drawn after the cockpit)."""
    try:
        order = get_order_for(request.user, number)
    except DomainError as exc:
        raise Http404 from exc
    found = selectors.order_readiness(order)
    late = (
        list(selectors.late_lines(request.user, timezone.localdate()).filter(order=order)[:20])
        if request.user.can(p.VIEW)
        else []
    )
    return render(
        request,
        "purchasing/_readiness.html",
        _ctx(request, order=order, readiness=found, late=late),
    )


@login_required
def today_section(request: HttpRequest, key: str) -> HttpResponse:
    """One of purchasing's Today sections, drawn after Today has loaded (``sections.LAZY``)."""
    from gendan import extensions
    from gendan.accounts.roles import role_names
    from gendan.purchasing.sections import LAZY

    section = extensions.registry.today_sections.get(key)
    if key not in LAZY or section is None or not section.roles & set(role_names(request.user)):
        raise Http404
    request.purchasing_section = True  # type: ignore[attr-defined]
    data = section.build(request.user, timezone.localdate(), 50, request)
    return render(request, section.template, {"section": section, "data": data})
