"""Daily reports from Excel (生产日报表导入): all or nothing, in the request.

The upload is bounded before a row is read: at most ``MAX_BYTES`` as sent, then the order
import's own checks of the archive (its unpacked size, every sheet's declared dimensions) and,
on the sheet read, at most ``MAX_ROWS`` rows under the header and ``MAX_COLUMNS`` columns as it
declares them. The rows are read by the order import's bounded sheet-XML reader
(``orders.imports``), never past those bounds even when the sheet declares no dimension.

Each row goes through the daily report's own rules (``reports.write_report``: a step never
exceeds its predecessor nor its quantity, a day below plan carries a reason and a note), in one
transaction, the rows taken day by day and step by step whatever their order in the file. Any
error rolls everything back and the answer names sheet, row, column and reason of each bad cell.
An order whose last step the file completes then moves to ``produced`` through "Record
production done" (its own transaction, as after the floor's last report).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from gendan.accounts.guards import verb
from gendan.errors import DomainError, Kind
from gendan.orders import imports as order_imports
from gendan.orders import locks as order_locks
from gendan.orders.workflow import Status
from gendan.production import permissions as p
from gendan.production.models import SlipReason, WorkOrder, WorkOrderStatus
from gendan.production.services.reports import ReportInput, write_report
from gendan.timeline.services import together

#: the upload: at most 2 MB as sent; the sheet at most 1,000 rows under the header, 20 columns
#: (the import runs in the request: 2,000 rows took 22 s on SQLite, see docs/benchmarks.md)
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1_000
MAX_COLUMNS = 20
#: the answer keeps the first 200 errors and counts the rest
MAX_ERRORS = 200

SHEET = "daily_reports"
HEADER = (
    "work_order",
    "day",
    "good_qty",
    "defect_qty",
    "scrap_qty",
    "hours",
    "slip_reason",
    "note",
)
REQUIRED = ("work_order", "day", "good_qty")
QUANTITIES = ("good_qty", "defect_qty", "scrap_qty")
#: a rule's field (its DomainError's details) -> the column it names
FIELD_COLUMN = {"work_order": "work_order", "day": "day", "hours": "hours", "note": "note"}


def get_column_letter(index: int) -> str:
    """A column's letters (1 -> A, 27 -> AA)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class Code:
    FILE_TOO_LARGE = "file_too_large"
    SHEET_TOO_LARGE = "sheet_too_large"
    NOT_XLSX = "not_xlsx"
    IMPORT_REFUSED = "production_import_refused"


@dataclass
class ImportResult:
    rows: int = 0
    imported: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    header: list[str] = field(default_factory=list)
    completed_orders: list[str] = field(default_factory=list)
    not_completed: dict[str, str] = field(default_factory=dict)

    def add(self, row: int, column: str, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) >= MAX_ERRORS:
            return
        position = self.header.index(column) if column in self.header else None
        if position is None and column in HEADER:
            position = HEADER.index(column)
        letter = get_column_letter(position + 1) if position is not None else ""
        self.errors.append(
            {
                "sheet": SHEET,
                "row": row,
                "column": column,
                "cell": f"{letter}{row}" if letter else "",
                "reason": reason,
            }
        )

    @property
    def more_errors(self) -> int:
        return self.error_count - len(self.errors)

    def failed(self) -> bool:
        return self.error_count > 0


# ---- the upload, bounded before it is read ---------------------------------------------------


def _refused(code: str, message: str) -> DomainError:
    return DomainError(code, message, kind=Kind.INVALID, details={"field": "file"})


def too_large(size: int) -> DomainError:
    return _refused(
        Code.FILE_TOO_LARGE,
        gettext(
            "The file is %(size)s MB; files over %(max)s MB are refused. Split it into smaller files."
        )
        % {"size": f"{size / 1024 / 1024:.1f}", "max": MAX_BYTES // (1024 * 1024)},
    )


def _sheet_too_large(title: str, rows: int, columns: int) -> DomainError:
    return _refused(
        Code.SHEET_TOO_LARGE,
        gettext(
            "The sheet “%(sheet)s” declares %(rows)s rows and %(columns)s columns; at most "
            "%(max_rows)s rows under the header and %(max_columns)s columns are accepted. "
            "Split the file, or delete the empty rows and columns after the data."
        )
        % {
            "sheet": title,
            "rows": f"{rows:,}",
            "columns": f"{columns:,}",
            "max_rows": f"{MAX_ROWS:,}",
            "max_columns": MAX_COLUMNS,
        },
    )


def _largest_sheet(data: bytes) -> DomainError:
    """The refusal of the largest sheet the workbook declares (its <dimension> only)."""
    import io
    import zipfile

    largest = ("", 0, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part, title in order_imports._sheet_titles(archive).items():
            with archive.open(part) as source:
                size = order_imports._declared_size(source) or (0, 0)
            if size[0] * max(size[1], 1) >= largest[1] * max(largest[2], 1):
                largest = (title, *size)
    return _sheet_too_large(*largest)


def open_upload(data: bytes) -> Any:
    """The workbook's sheet, opened without reading a row; a DomainError when the upload is
    over the bounds or not an .xlsx."""
    if len(data) > MAX_BYTES:
        raise too_large(len(data))
    try:  # the archive: its unpacked size, every sheet's declared dimensions
        order_imports.check_upload(data)
    except DomainError as exc:
        if exc.code != order_imports.Code.SHEET_TOO_LARGE:
            raise
        raise _largest_sheet(data) from exc  # said with this import's bounds, not the orders'
    try:
        book = order_imports._book(data)
    except Exception as exc:  # openpyxl raises anything on a broken file
        raise _refused(Code.NOT_XLSX, gettext("The file is not an Excel .xlsx workbook.")) from exc
    rows, columns = book.size or (0, 0)
    if rows > MAX_ROWS + 1 or columns > MAX_COLUMNS:
        raise _sheet_too_large(book.title, rows, columns)
    return book


# ---- the cells -------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def _reasons() -> dict[str, str]:
    """What a slip-reason cell may say: the code, the Chinese label, the English label or the
    label as shown (case-insensitive)."""
    names: dict[str, str] = {}
    for value, label in SlipReason.choices:
        text = str(label)
        names[value.lower()] = value
        names[text.lower()] = value
        chinese = re.search(r"[(（]([^)）]+)[)）]", text)
        if chinese:
            names[chinese.group(1).strip().lower()] = value
            names[text[: chinese.start()].strip().lower()] = value
    return names


@dataclass
class Row:
    number: int
    work_order: str
    values: ReportInput


def _quantity(raw: Any) -> int | None:
    if raw is None or _text(raw) == "":
        return 0
    if isinstance(raw, bool):
        return None
    try:
        number = Decimal(_text(raw))
    except InvalidOperation:
        return None
    if not number.is_finite() or number != number.to_integral_value() or number < 0:
        return None
    return int(number) if number <= 10**9 else None


def _day(raw: Any) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(_text(raw))
    except ValueError:
        return None


def _parse(
    number: int, cells: dict[str, Any], result: ImportResult, names: dict[str, str]
) -> Row | None:
    ok = True
    wo = _text(cells.get("work_order"))
    if not wo:
        result.add(number, "work_order", gettext("Required."))
        ok = False
    elif len(wo) > 30:
        result.add(number, "work_order", gettext("No such work order."))
        ok = False
    raw_day = cells.get("day")
    day = _day(raw_day) if raw_day not in (None, "") else None
    if day is None:
        result.add(
            number,
            "day",
            gettext("Required.")
            if raw_day in (None, "")
            else gettext("Not a date: write it as a date cell or YYYY-MM-DD."),
        )
        ok = False
    quantities: dict[str, int] = {}
    for column in QUANTITIES:
        if column == "good_qty" and _text(cells.get(column)) == "":
            result.add(number, column, gettext("Required."))
            ok = False
            continue
        value = _quantity(cells.get(column))
        if value is None:
            result.add(number, column, gettext("A whole number, 0 or more."))
            ok = False
        else:
            quantities[column] = value
    hours = Decimal("0")
    if _text(cells.get("hours")):
        try:
            hours = Decimal(_text(cells.get("hours")))
            if not hours.is_finite() or not Decimal(0) <= hours <= Decimal(24):
                raise InvalidOperation
        except InvalidOperation:
            result.add(number, "hours", gettext("Hours must be between 0 and 24."))
            ok = False
    reason = ""
    raw_reason = _text(cells.get("slip_reason"))
    if raw_reason:
        reason = names.get(raw_reason.lower(), "")
        if not reason:
            result.add(
                number,
                "slip_reason",
                gettext("“%(value)s” is not one of the seven slip reasons.")
                % {"value": raw_reason},
            )
            ok = False
    note = _text(cells.get("note"))
    if len(note) > 500:
        result.add(number, "note", gettext("At most 500 characters."))
        ok = False
    if not ok or day is None:
        return None
    values = ReportInput(
        day=day,
        good_qty=quantities["good_qty"],
        defect_qty=quantities["defect_qty"],
        scrap_qty=quantities["scrap_qty"],
        hours=hours,
        slip_reason=reason,
        note=note,
    )
    return Row(number, wo, values)


def read_rows(book: Any, result: ImportResult) -> list[Row]:
    """The sheet's non-blank rows under the header, never past MAX_ROWS rows nor MAX_COLUMNS
    columns (the order import's reader stops there even when the sheet declares no size)."""
    rows: Iterator[tuple[Any, ...]] = order_imports._sheet_rows(book, MAX_ROWS + 2, MAX_COLUMNS)
    try:
        result.header = [_text(h) for h in next(rows, ())]
        missing = [c for c in REQUIRED if c not in result.header]
        for column in missing:
            result.add(
                1,
                column,
                gettext("The column “%(c)s” is missing from the header row.") % {"c": column},
            )
        if missing:
            return []
        known = [(i, h) for i, h in enumerate(result.header) if h in HEADER]
        names = _reasons()
        parsed: list[Row] = []
        for number, values in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:
                result.add(
                    number,
                    "",
                    gettext(
                        "The sheet goes on past row %(last)s: at most %(max)s rows under the "
                        "header are accepted. Split the file, or delete the rows after the data."
                    )
                    % {"last": f"{MAX_ROWS + 1:,}", "max": f"{MAX_ROWS:,}"},
                )
                break
            if all(v is None or _text(v) == "" for v in values):
                continue
            result.rows += 1
            row = _parse(number, {h: values[i] for i, h in known}, result, names)
            if row is not None:
                parsed.append(row)
    except Exception:  # a broken sheet part: whatever the XML reader raises
        result.add(1, "", gettext("The file is not an Excel .xlsx workbook."))
        return []
    return parsed


# ---- the rules, in one transaction -----------------------------------------------------------


class _Rollback(Exception):
    pass


def _column(exc: DomainError) -> str:
    field_name = str(exc.details.get("field", ""))
    if field_name in QUANTITIES or field_name == "slip_reason":
        return field_name
    return FIELD_COLUMN.get(field_name, "good_qty" if field_name else "work_order")


def _write(rows: list[Row], result: ImportResult, actor: Any) -> set[str]:
    """Write every row under its order's lock; any error rolls all of them back. Returns the
    orders whose routed last steps are all complete after the file."""
    known = dict(
        WorkOrder.objects.filter(number__in={r.work_order for r in rows}).values_list(
            "number", "order__number"
        )
    )
    seqs = dict(WorkOrder.objects.filter(number__in=known).values_list("number", "seq"))
    for r in rows:
        if r.work_order not in known:
            result.add(
                r.number,
                "work_order",
                gettext("No such work order: %(wo)s.") % {"wo": r.work_order},
            )
    touched: set[str] = set()
    try:
        with transaction.atomic(durable=True), together():
            locked: set[str] = set()
            for number in sorted(set(known.values())):  # one order after the other: no deadlock
                try:
                    order_locks.order_for_update(number, visible_to=actor)
                except DomainError:
                    continue
                locked.add(number)
            ordered = sorted(
                (r for r in rows if r.work_order in known),
                key=lambda r: (r.values.day, seqs[r.work_order], r.number),
            )
            for r in ordered:
                if known[r.work_order] not in locked:
                    result.add(
                        r.number,
                        "work_order",
                        gettext("No such work order: %(wo)s.") % {"wo": r.work_order},
                    )
                    continue
                try:
                    with transaction.atomic():
                        write_report(
                            work_order=r.work_order, values=r.values, correcting=False, actor=actor
                        )
                except DomainError as exc:
                    result.add(r.number, _column(exc), str(exc.message))
                except IntegrityError:
                    result.add(
                        r.number, "day", gettext("Two rows report the same work order and day.")
                    )
                else:
                    touched.add(known[r.work_order])
            if result.failed():
                raise _Rollback
            result.imported = len(ordered)
            open_last = set(
                WorkOrder.objects.filter(
                    order__number__in=touched, last=True, routed=True, status=WorkOrderStatus.OPEN
                ).values_list("order__number", flat=True)
            )
            released = set(
                WorkOrder.objects.filter(
                    order__number__in=touched - open_last, order__status=Status.RELEASED
                ).values_list("order__number", flat=True)
            )
            return released
    except _Rollback:
        result.imported = 0
        return set()


@verb(p.REPORT)
def import_reports(*, data: bytes, actor: Any) -> ImportResult:
    """Import a workbook of daily reports (the template of ``views_floor.template_workbook``): every row or
    none. A DomainError when the upload itself is refused (size, not an .xlsx, too many rows);
    otherwise the result, with the errors that rolled it back."""
    book = open_upload(data)
    result = ImportResult()
    rows = read_rows(book, result)
    if result.failed() and not rows:
        return result
    complete = _write(rows, result, actor)
    if result.failed():
        return result
    from gendan.orders.services import complete_production

    for number in sorted(complete):
        try:
            complete_production(
                order_number=number,
                actor=actor,
                comment=gettext("The imported daily reports completed the last step."),
            )
        except DomainError as exc:
            result.not_completed[number] = str(exc.message)
        else:
            result.completed_orders.append(number)
    return result
