"""Helpers of the browser tests (the browser and its page are fixtures of the root conftest)."""

from __future__ import annotations

from pathlib import Path

from gendan.conftest import ARTIFACTS


def sign_in(page, username: str, password: str = "gendan-demo") -> None:
    page.context.clear_cookies()
    page.goto(page.base_url + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].primary")
    page.wait_for_url(lambda url: "/login/" not in url)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
