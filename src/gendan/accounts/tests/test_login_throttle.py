"""One login throttle for every way in: the page, the admin and the API share the lock.

The page and the admin through Django's test client, the API over real HTTP (as a client would).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gendan.accounts.models import LoginThrottle, ThrottleScope
from gendan.demodata import DEMO_PASSWORD
from gendan.orders.tests.test_api import Http

FREE = 5  # settings.GENDAN_LOGIN_FREE_FAILURES


def page_login(client, username: str, password: str, *, address: str = "10.0.0.1", lang="en"):
    return client.post(
        "/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE=lang,
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


@pytest.mark.django_db
def test_the_page_locks_an_account_after_the_free_failures_even_for_the_right_password(
    client, users
):
    for _ in range(FREE):
        wrong = page_login(client, "merch", "wrong")
        assert wrong.status_code == 200
        assert "Wrong username or password." in wrong.content.decode()
    locked = page_login(client, "merch", DEMO_PASSWORD)
    assert not signed_in(locked)
    assert "Too many failed sign-ins. Try again in 60 seconds." in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # in the user's language too
    chinese = page_login(client, "merch", DEMO_PASSWORD, lang="zh-hans")
    assert "登录失败次数过多" in chinese.content.decode()
    # each further failure doubles the lock; an unlocked account signs in and starts afresh
    throttle = LoginThrottle.objects.get(scope=ThrottleScope.ACCOUNT, key="merch")
    assert throttle.failures == FREE
    LoginThrottle.objects.filter(pk=throttle.pk).update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )
    page_login(client, "merch", "wrong")
    throttle.refresh_from_db()
    assert 119 <= (throttle.locked_until - timezone.now()).total_seconds() <= 120
    LoginThrottle.objects.filter(pk=throttle.pk).update(locked_until=None)
    assert signed_in(page_login(client, "merch", DEMO_PASSWORD))
    assert not LoginThrottle.objects.filter(scope=ThrottleScope.ACCOUNT, key="merch").exists()


@pytest.mark.django_db
def test_a_client_address_is_locked_after_its_free_failures_on_any_account(client, users):
    names = ["sales", "finance", "manager", "production", "warehouse"]
    for k in range(20):
        page_login(client, names[k % len(names)], "wrong", address="10.9.9.9")
    # merch never failed, but the address that guessed 20 times is locked for every account
    refused = page_login(client, "merch", DEMO_PASSWORD, address="10.9.9.9")
    assert not signed_in(refused)
    assert "Too many failed sign-ins." in refused.content.decode()
    # from another address merch signs in
    assert signed_in(page_login(client, "merch", DEMO_PASSWORD, address="10.1.1.1"))


@pytest.mark.django_db
def test_the_admin_login_is_under_the_same_lock(client, users):
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    for _ in range(FREE):
        page_login(client, "admin", "wrong")
    refused = client.post(
        "/admin/login/?next=/admin/",
        {"username": "admin", "password": DEMO_PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 200
    assert "Too many failed sign-ins." in refused.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db(transaction=True)
def test_a_user_the_api_locked_out_cannot_sign_in_on_the_page(live_server, client, users):
    http = Http(live_server.url)
    for _ in range(FREE):
        assert http.post("/auth/token", None, {"username": "merch", "password": "x"}).status == 403
    assert (
        http.post("/auth/token", None, {"username": "merch", "password": DEMO_PASSWORD}).status
        == 429
    )
    refused = page_login(client, "merch", DEMO_PASSWORD)
    assert not signed_in(refused)
    assert "Too many failed sign-ins." in refused.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_user_the_page_locked_out_cannot_get_a_token(live_server, client, users):
    for _ in range(FREE):
        page_login(client, "finance", "wrong")
    answer = Http(live_server.url).post(
        "/auth/token", None, {"username": "finance", "password": DEMO_PASSWORD}
    )
    assert answer.status == 429
    assert answer.body["code"] == "too_many_attempts"
    assert 50 <= int(answer.headers["Retry-After"]) <= 60


@pytest.mark.django_db(transaction=True)
def test_an_address_guessing_through_the_api_is_locked_on_the_page_too(live_server, client, users):
    http = Http(live_server.url)
    names = ["sales", "finance", "manager", "production", "warehouse"]
    for k in range(20):
        http.post("/auth/token", None, {"username": names[k % len(names)], "password": "x"})
    # merch never failed; the address (the live server sees 127.0.0.1) is locked everywhere
    refused = page_login(client, "merch", DEMO_PASSWORD, address="127.0.0.1")
    assert not signed_in(refused)
    assert "Too many failed sign-ins." in refused.content.decode()
    assert LoginThrottle.objects.filter(scope=ThrottleScope.ADDRESS, key="127.0.0.1").exists()
    assert signed_in(page_login(client, "merch", DEMO_PASSWORD, address="10.1.1.1"))
