"""The demo's forecast: the morning's forecast of every order in production of the demo
factory, as the nightly job would have made it, so that the merchandiser's Today shows the
orders at risk with their reasons and the salespeople have their warnings. Called by
``gendan.demodata.load_demo`` after the factory and purchasing."""

from __future__ import annotations

from datetime import date
from typing import Any

from gendan.forecast.services import Refreshed, refresh


def seed_forecast(users: dict[str, Any], today: date) -> Refreshed:
    return refresh(today=today)
