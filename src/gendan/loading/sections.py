"""The Today section loading contributes: the loadings still open (planning, failed, counting)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from gendan import extensions
from gendan.extensions import SectionData
from gendan.loading.selectors import open_loadings


def loadings(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    rows = open_loadings(actor)
    return SectionData(count=len(rows), rows=rows)


def register() -> None:
    extensions.add_today_section(
        key="loadings",
        title=_("Loadings open"),
        description=_("Plans still running, failed, or waiting for the count."),
        roles={"merchandiser", "warehouse"},
        build=loadings,
        template="loading/_section_loadings.html",
        app="loading",
        order=60,
    )
