"""The planner generates the week's schedule, moves a block, and sees the due-date effect; a
move that breaks precedence is refused with the reason; on a phone the grid scrolls in its
frame (Playwright + Chromium)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.orders.workflow import Status
from gendan.production.models import Post, ScheduleBlock, ScheduleMove, StaffPost
from gendan.production.services.schedule import week_of
from gendan.production.tests.factories import factory
from gendan.web.tests.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_planner_generates_the_week_moves_a_block_and_sees_the_due_date_effect(
    browser_page, world
):
    factory(world.users["admin"])
    week = week_of(timezone.localdate()) + timedelta(days=7)
    order = world.order(
        lines=[("FN-101", 100, "300")], to=Status.RELEASED, delivery=week + timedelta(days=6)
    )
    StaffPost.objects.create(user=world.users["production"], post=Post.PLANNER)
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "production")
    page.goto(f"{page.base_url}/production/schedule/?week={week.isoformat()}")
    expect(page.locator("[data-testid=no-schedule]")).to_be_visible()
    page.locator("[data-testid=generate]").click()
    schedule = page.locator("[data-testid=schedule]")
    expect(schedule.locator(f"a[data-order='{order.number}']").first).to_be_visible()
    expect(page.locator("[data-testid=method]")).to_have_attribute("data-method", "edd")
    row = page.locator(f"[data-testid=orders] tr[data-order='{order.number}']")
    expect(row.locator("[data-testid=late]")).to_have_text("on time")
    screenshot(page, "production-schedule")

    # a move that breaks precedence: the assembly to the first day of cutting
    asm = ScheduleBlock.objects.filter(work_order__step_name="组装").order_by("day").first()
    cut = ScheduleBlock.objects.filter(work_order__step_name="开料").order_by("day").first()
    page.locator(f"a[data-block='{asm.pk}']").click()
    panel = page.locator("[data-testid=move-panel]")
    panel.locator("[data-testid=move-day]").fill(cut.day.isoformat())
    panel.locator("[data-testid=move]").click()
    expect(page.locator("[data-testid=refusal]")).to_contain_text("Precedence")
    assert not ScheduleMove.objects.exists()

    # packing three days later: the order now finishes late, and the page says so at once
    pack = ScheduleBlock.objects.filter(work_order__step_name="包装").order_by("day").first()
    later = pack.day + timedelta(days=3)
    page.locator(f"a[data-block='{pack.pk}']").click()
    panel = page.locator("[data-testid=move-panel]")
    panel.locator("[data-testid=move-day]").fill(later.isoformat())
    panel.locator("[data-testid=move]").click()
    effect = page.locator("[data-testid=effect]")
    expect(effect.locator("[data-testid=finish-before]")).to_have_text(pack.day.isoformat())
    expect(effect.locator("[data-testid=finish-after]")).to_have_text(later.isoformat())
    late = (later - order.delivery_date).days
    assert late > 0
    expect(effect.locator("[data-testid=late-after]")).to_have_text(str(late))
    expect(row.locator("[data-testid=late]")).to_contain_text(f"{late} late")
    assert ScheduleMove.objects.get().to_day == later
    screenshot(page, "production-schedule-moved")

    # on a phone the grid scrolls inside its frame; the page itself does not scroll sideways
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/production/schedule/?week={week.isoformat()}")
    expect(schedule.locator(f"a[data-order='{order.number}']").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    frame = page.locator("[data-testid=schedule]")
    assert frame.evaluate("e => e.scrollWidth > e.clientWidth")
    screenshot(page, "production-schedule-phone")
