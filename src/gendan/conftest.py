"""Fixtures shared by every app's tests: one user per role, a small catalogue, order factories."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from gendan.demodata import ensure_users
from gendan.orders.tests.factories import World


def pytest_configure(config: pytest.Config) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings, tmp_path):
    """Attachments of a test are written under its own temporary folder, never var/ (mails go to
    Django's test outbox, or to the SMTP server of the mail tests)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def users(db):
    return ensure_users()


@pytest.fixture
def world(users):
    """Users, three customers (deposit, no deposit + credit, 50% deposit), products with some stock."""
    return World.build(users)


# ---- browser tests: Playwright for Python driving Debian's Chromium against the live server ----


CHROMIUM = (
    os.environ.get("GENDAN_CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
)
ARTIFACTS = Path(
    os.environ.get("GENDAN_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts")
)

# Playwright's sync API runs an event loop in the test's thread; the ORM calls of the test's own
# set-up run beside it (the live server answers from its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM:
        return
    skip = pytest.mark.skip(reason="no Chromium found (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server):
    """A fresh browser context per test, English unless the test switches."""
    context = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)  # a loaded 2-core CI machine
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    yield page
    context.close()
