"""Every write of production, one module per topic: the notices and the order's life
(``notices``), the master data (``masterdata``), the work orders (``workorders``), the daily
report (``reports``) and the day's plan (``plans``)."""

from gendan.production.services.notices import (
    cancel_notices,
    complete_notices,
    issue_notice,
    on_cancel,
    on_complete,
    on_release,
)

__all__ = [
    "cancel_notices",
    "complete_notices",
    "issue_notice",
    "on_cancel",
    "on_complete",
    "on_release",
]
