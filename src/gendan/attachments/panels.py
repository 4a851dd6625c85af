"""The cockpit's panel of an order's files (contributed through gendan.extensions)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from gendan.attachments import filetypes, selectors, services
from gendan.attachments.permissions import AttachmentPerm


def order_panel(order: Any, user: Any, *, error: str = "") -> dict[str, Any]:
    """The files of an order the user sees (the cockpit fetched it through get_order_for)."""
    allowed = services.allowed_kinds()
    return {
        "order": order,
        "files": list(selectors.files_of(order)),
        "can_attach": user.can(AttachmentPerm.ATTACH_FILES),
        "accept": filetypes.accept_attribute(allowed),
        "allowed": [k.upper() for k in allowed],
        "max_bytes": services.max_bytes(),
        "upload_url": reverse("web:order_attachments", args=[order.number]),
        "error": error,
    }
