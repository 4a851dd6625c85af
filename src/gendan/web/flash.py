"""Flash messages through the price rule: the storage every page's messages pass."""

from __future__ import annotations

from typing import Any

from django.contrib.messages.storage.fallback import FallbackStorage

from gendan.prices import redact_text


class PriceBlindStorage(FallbackStorage):
    """Django's cookie-then-session storage; a price-blind user's messages lose their amounts."""

    def add(self, level: int, message: Any, extra_tags: str = "") -> None:
        super().add(level, redact_text(message, getattr(self.request, "user", None)), extra_tags)
