"""In-app notifications: told in one's language, only one's own, marked read, on Today."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext_lazy

from gendan import extensions
from gendan.notifications import services, today
from gendan.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_notify_words_a_lazy_text_in_each_users_language_and_skips_the_actor(world):
    u = world.users
    u["finance"].language, u["manager"].language = "en", "zh-hans"
    rows = services.notify(
        users=[u["finance"], u["manager"], u["merch"]],
        kind="test",
        text=gettext_lazy("Notifications"),
        url="/orders/",
        actor=u["merch"],
    )
    assert {(n.user.username, n.text) for n in rows} == {
        ("finance", "Notifications"),
        ("manager", "通知"),
    }


def test_the_page_lists_only_ones_own_and_marks_read_with_htmx(client, world):
    u = world.users
    mine = services.notify(users=[u["merch"]], kind="test", text="Yours", actor=u["sales"])[0]
    services.notify(users=[u["qc"]], kind="test", text="Not yours", actor=u["sales"])
    client.force_login(u["merch"])
    page = client.get("/notifications/").content.decode()
    assert "Yours" in page and "Not yours" not in page
    assert client.get("/notifications/badge/").content.decode().count('data-unread="1"') == 1
    answer = client.post(f"/notifications/{mine.pk}/read/", headers={"HX-Request": "true"})
    assert 'data-read="true"' in answer.content.decode()
    assert 'data-unread="0"' in client.get("/notifications/badge/").content.decode()
    # another user's notification cannot be marked read by me
    other = Notification.objects.get(user=u["qc"])
    client.post(f"/notifications/{other.pk}/read/")
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_all_read_and_the_page_costs_the_same_queries_for_few_and_many(client, world):
    u = world.users
    client.force_login(u["merch"])
    services.notify(users=[u["merch"]], kind="test", text="one", actor=u["sales"])
    with CaptureQueriesContext(connection) as few:
        client.get("/notifications/")
    for i in range(30):
        services.notify(users=[u["merch"]], kind="test", text=f"n{i}", actor=u["qc"])
    with CaptureQueriesContext(connection) as many:
        client.get("/notifications/")
    assert len(few) == len(many)
    client.post("/notifications/read/")
    assert not Notification.objects.filter(user=u["merch"], read_at__isnull=True).exists()


def test_the_today_section_is_offered_to_every_role_and_renders(world):
    u = world.users
    for role in extensions.ROLES:
        assert "notifications" in [s.key for s in extensions.today_sections_for({role})]
    for i in range(3):
        services.notify(
            users=[u["driver"]], kind="test", text=f"Load {i}", url="/loading/", actor=u["merch"]
        )
    section = extensions.registry.today_sections["notifications"]
    data = today.build(u["driver"], timezone.localdate(), 2)
    assert (data.count, len(data.rows), data.more) == (3, 2, 1)
    html = render_to_string(section.template, {"section": section, "data": data})
    assert html.count("data-notification=") == 2 and "Load 2" in html
    assert "/notifications/?unread=1" in html
