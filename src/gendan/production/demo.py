"""The demo factory: the production posts' logins, lines with their calendars, routings for
both demo industries, and some weeks of daily reports with slips on the demo's orders in
production. Called by ``gendan.demodata.load_demo`` once its orders are driven (the routings
come after them: the orders driven through "Record production done" are made in one default
step, and the orders still in production get their routed work orders again), and this week's
schedule."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.utils import timezone

from gendan.accounts.models import User
from gendan.accounts.permissions import Role
from gendan.orders.workflow import Status
from gendan.parties.models import Supplier
from gendan.production.calendars import line_hours
from gendan.production.models import (
    FirstArticle,
    NoticeStatus,
    Post,
    ProductionLine,
    ProductionNotice,
    SlipReason,
    StaffPost,
    WorkOrder,
    WorkOrderStatus,
)
from gendan.production.services import first_articles, masterdata, reports, schedule, workorders

#: the posts of production, each a login of the production role
POSTS = [
    ("planner", Post.PLANNER, "钱计划"),
    ("workshop", Post.WORKSHOP_SUPERVISOR, "孙主任"),
    ("packing", Post.PACKING_SUPERVISOR, "周主任"),
]
LOGINS = [(username, str(post.label)) for username, post, _ in POSTS]

#: code, name, kind, shifts, weekly days off (Sunday; the packing lines work Saturdays short)
LINES = [
    ("CUT-B1", "分切一线", "cutting_soft", 1, [6]),
    ("SEW-B1", "缝制一线", "sewing", 2, [6]),
    ("FILL-B1", "灌装一线", "filling", 1, [6]),
    ("CUT-F1", "开料一线", "cutting_wood", 1, [6]),
    ("EDGE-F1", "封边一线", "edge_banding", 1, [6]),
    ("ASM-F1", "组装一线", "assembly", 2, [6]),
    ("PACK-1", "包装一线", "packing", 1, [6]),
]
R = "rate_per_hour"
#: per family (the products' series): its name and steps (step, line kind or None when
#: outsourced, units per hour or the supplier's lead time in days)
ROUTINGS = {
    "湿巾系列": (
        "湿巾",
        [("分切", "cutting_soft", 4), ("灌装", "filling", 3), ("包装", "packing", 5)],
    ),
    "纸尿裤系列": (
        "纸尿裤",
        [("分切", "cutting_soft", 4), ("缝制", "sewing", 2), ("包装", "packing", 5)],
    ),
    "喂养系列": ("奶瓶", [("注塑", None, 7), ("包装", "packing", 4)]),
    "棉柔系列": ("棉柔巾", [("分切", "cutting_soft", 5), ("包装", "packing", 6)]),
    "护理系列": ("护理品", [("灌装", "filling", 3), ("包装", "packing", 5)]),
    "北欧系列": (
        "北欧家具",
        [
            ("开料", "cutting_wood", 3),
            ("封边", "edge_banding", 2),
            ("组装", "assembly", 1),
            ("包装", "packing", 3),
        ],
    ),
    "客厅系列": (
        "客厅家具",
        [
            ("开料", "cutting_wood", 2),
            ("软包", None, 5),
            ("组装", "assembly", 1),
            ("包装", "packing", 2),
        ],
    ),
    "儿童系列": (
        "儿童家具",
        [
            ("开料", "cutting_wood", 3),
            ("封边", "edge_banding", 2),
            ("组装", "assembly", 1),
            ("包装", "packing", 3),
        ],
    ),
    "卧室系列": (
        "卧室家具",
        [
            ("开料", "cutting_wood", 2),
            ("封边", "edge_banding", 2),
            ("组装", "assembly", 1),
            ("包装", "packing", 2),
        ],
    ),
}
NOTES = {
    SlipReason.PLAN_ERROR: "标准产能估高了，实际换型时间长",
    SlipReason.MACHINE: "设备故障停机两小时",
    SlipReason.MATERIAL: "原材料下午才到",
    SlipReason.QUALITY: "不良率偏高，返工",
    SlipReason.URGENT: "插单：特急订单优先",
    SlipReason.UPSTREAM: "前道工序供料不足",
    SlipReason.STAFFING: "两名员工请假",
}
HISTORY_DAYS = 12


def _posts(password: str) -> dict[str, User]:
    group = Group.objects.get(name=Role.PRODUCTION)
    users = {}
    for username, post, name in POSTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"display_name": name, "email": f"{username}@gendan.example"},
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(group)
        StaffPost.objects.get_or_create(user=user, defaults={"post": post})
        users[username] = user
    return users


def _master_data(admin: User, today: date) -> None:
    for code, name, kind, shifts, days_off in LINES:
        masterdata.create_line(
            code=code, name=name, kind=kind, shifts_per_day=shifts, days_off=days_off, actor=admin
        )
    masterdata.set_holiday(day=date(today.year + 1, 1, 1), name="元旦", actor=admin)
    masterdata.set_line_exception(
        line="SEW-B1",
        day=today - timedelta(days=4),
        hours=Decimal("4"),
        note="设备保养",
        actor=admin,
    )
    supplier, _ = Supplier.objects.get_or_create(
        code="SUP-OUT1", defaults={"name": "永达外协加工厂", "phone": "0571-88000000"}
    )
    for family, (name, steps) in ROUTINGS.items():
        rows: list[dict[str, Any]] = []
        for step, kind, rate in steps:
            if kind is None:
                rows.append(
                    {
                        "name": step,
                        "outsourced": True,
                        "supplier": supplier.code,
                        "lead_time_days": rate,
                    }
                )
            else:
                rows.append({"name": step, "line_kind": kind, R: rate})
        masterdata.save_routing(family=family, name=name, steps=rows, actor=admin)
        for code, _n, kind, _s, _d in LINES:
            rate = next((r for _st, k, r in steps if k == kind), None)
            if rate:
                masterdata.set_capacity(
                    line=code, family=family, units_per_hour=Decimal(rate), actor=admin
                )


def _history(users: dict[str, Any], today: date, rng: random.Random) -> None:
    """Reports over the last working days: most days on plan, some short with a reason; no
    order finishes (the demo keeps an order in production) and the last order sends no report
    yesterday."""
    notices = list(
        ProductionNotice.objects.filter(
            order__status=Status.RELEASED, status=NoticeStatus.ISSUED
        ).order_by("number")
    )
    for notice in notices:
        workorders.reissue_work_orders(notice=notice.number, actor=users["planner"])
    _first_articles(notices, users)
    reasons = list(SlipReason)
    start = today - timedelta(days=HISTORY_DAYS)
    for n, notice in enumerate(notices):
        wos = list(
            WorkOrder.objects.filter(notice_line__notice=notice, routed=True)
            .select_related("line")
            .order_by("notice_line_id", "seq")
        )
        last_day = today - timedelta(days=2 if n == len(notices) - 1 else 1)
        day = start
        while day <= last_day:
            for wo in wos:
                _report_day(wo, wos, day, users, rng, reasons)
            day += timedelta(days=1)


def _sample_photo(n: int) -> Any:
    """A picture of a sample for the demo (a plain coloured JPEG, as a phone would send)."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    out = BytesIO()
    picture = Image.new("RGB", (640, 480), (214, 196, 160))
    ImageDraw.Draw(picture).rectangle((160, 120, 480, 360), outline=(90, 60, 30), width=12)
    picture.save(out, "JPEG", quality=80)
    return SimpleUploadedFile(f"sample-{n}.jpg", out.getvalue(), content_type="image/jpeg")


def _first_articles(notices: list[ProductionNotice], users: dict[str, Any]) -> None:
    """The demo's first articles: the first gated notice's sample rejected once, then sent
    again; the gates of the demo salesperson's last gated notice wait for them (since
    yesterday, so the merchandiser sees them late too); every other gate approved."""
    gates: dict[int, list[FirstArticle]] = {}
    for gate in (
        FirstArticle.objects.filter(work_order__notice_line__notice__in=notices)
        .select_related("work_order__notice_line", "order__salesperson")
        .order_by("pk")
    ):
        gates.setdefault(gate.work_order.notice_line.notice_id, []).append(gate)
    gated = [n for n in notices if n.pk in gates]
    waiting = next(
        (n for n in reversed(gated) if n.order.salesperson_id == users["sales"].pk), None
    )
    for n, notice in enumerate(gated):
        for gate in gates[notice.pk]:
            number, seller = gate.work_order.number, gate.order.salesperson
            if n == 0:
                first_articles.submit_sample(
                    work_order=number,
                    note="首件：按样板生产",
                    photos=[_sample_photo(1)],
                    actor=users["workshop"],
                )
                first_articles.reject_sample(
                    work_order=number, deviation="颜色比确认样偏深，调整后重新送样", actor=seller
                )
            first_articles.submit_sample(
                work_order=number,
                note="首件：已按业务意见调整" if n == 0 else "首件送样",
                photos=[_sample_photo(2)],
                actor=users["workshop"],
            )
            if notice == waiting:
                FirstArticle.objects.filter(pk=gate.pk).update(
                    submitted_at=timezone.now() - timedelta(hours=30)
                )
            else:
                first_articles.approve_sample(
                    work_order=number, note="确认，可以大货", actor=seller
                )


def _report_day(
    wo: WorkOrder,
    wos: list[WorkOrder],
    day: date,
    users: dict[str, Any],
    rng: random.Random,
    reasons: list[SlipReason],
) -> None:
    wo.refresh_from_db()
    if wo.status != WorkOrderStatus.OPEN:
        return
    before = next(
        (w for w in wos if w.notice_line_id == wo.notice_line_id and w.seq == wo.seq - 1), None
    )
    available = wo.quantity if before is None else WorkOrder.objects.get(pk=before.pk).good_qty
    room = min(available, wo.quantity - (1 if wo.last else 0)) - wo.good_qty
    gate = FirstArticle.objects.filter(work_order=wo).exclude(status="approved").first()
    if gate is not None:  # the sample waits for the salesperson: no mass production yet
        room = min(room, gate.sample_qty - wo.good_qty)
    if wo.outsourced:  # sent out and back in lots: reported when a lot returns
        if room > 0 and day.weekday() == 4:
            _send(wo, day, room, 0, users, "", "")
        return
    if wo.line is None or not wo.rate_per_hour or room <= 0:
        return
    hours = line_hours(wo.line, day)
    if hours <= 0:
        return
    planned = min(int(wo.rate_per_hour * hours), wo.quantity - wo.good_qty)
    if planned <= 0:
        return
    short = rng.random() < 0.3
    good = min(room, int(planned * rng.uniform(0.55, 0.9)) if short else planned)
    if good <= 0:
        return
    reason = ""
    if good < planned:
        reason = SlipReason.UPSTREAM if good == room and not short else rng.choice(reasons)
    _send(wo, day, good, planned, users, reason, NOTES.get(reason, "") if reason else "")


def _send(
    wo: WorkOrder, day: date, good: int, planned: int, users: dict[str, Any], reason: str, note: str
) -> None:
    who = users["packing"] if wo.line_kind == "packing" else users["workshop"]
    reports.record_report(
        work_order=wo.number,
        day=day,
        good_qty=good,
        defect_qty=max(0, good // 50 - 1),
        scrap_qty=good // 200,
        hours=line_hours(wo.line, day) if wo.line else Decimal("0"),
        slip_reason=reason,
        note=note,
        actor=who,
    )


def seed_factory(users: dict[str, Any], today: date, *, password: str, seed: int = 13) -> None:
    """The demo's factory, once (nothing when its lines exist)."""
    if ProductionLine.objects.exists():
        return
    users = {**users, **_posts(password)}
    _master_data(users["admin"], today)
    _history(users, today, random.Random(seed))
    # this week's schedule, as the Monday job made it this Monday morning (the worker of
    # `make demo` then has CP-SAT improve it)
    monday = schedule.week_of(today)
    schedule.generate_schedule(week=monday, actor=users["planner"], today=monday)
