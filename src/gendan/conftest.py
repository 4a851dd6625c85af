"""Fixtures shared by every app's tests: one user per role, a small catalogue, order factories."""

from __future__ import annotations

import pytest
from django.conf import settings


def pytest_configure(config: pytest.Config) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(db):
    from gendan.demodata import ensure_users

    return ensure_users()


@pytest.fixture
def world(users):
    """Users, three customers (deposit, no deposit + credit, 50% deposit), products with some stock."""
    from gendan.orders.tests.factories import World

    return World.build(users)
