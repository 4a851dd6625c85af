"""Orders from Excel: the upload checked at once, then checked and imported in the worker.

One row per order line, the order's header repeated on each row (the layout of the export,
``excel.HEADER``). An upload is refused at once when it is not a bounded .xlsx: its size, its
unpacked size, and the sheet's declared dimensions are read without loading a row (openpyxl's
read-only mode). The rows are then read by the background task, never past the row and column
limits, and each order goes through the API's own schema (``api.OrderIn``: the bounds of
``inputs``) and then the entry rules (``services.enter_order``'s, applied to every order at once
by ``bulk_entry.enter_orders``) inside one transaction: with any error everything is rolled
back, and the report names sheet, row, column and reason of the first
``MAX_ERRORS`` errors, with the count of the rest.
"""

from __future__ import annotations

import io
import logging
import re
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO
from xml.etree import ElementTree

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._reader import _cast_number
from pydantic import ValidationError

from gendan.accounts.guards import verb
from gendan.accounts.permissions import Perm
from gendan.errors import DomainError, Kind
from gendan.orders import inputs
from gendan.orders.bulk_entry import enter_orders
from gendan.orders.entry import LineInput
from gendan.orders.excel import HEADER, ORDER_COLUMNS, SHEET
from gendan.orders.models import ImportStatus, OrderImport
from gendan.timeline.models import EventKind
from gendan.timeline.services import record

log = logging.getLogger(__name__)

#: the upload: at most 5 MB as sent, 100 MB unpacked (a zip that unpacks to more is refused)
MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
#: the sheet: at most 50,000 rows under the header and 50 columns
MAX_ROWS = 50_000
MAX_COLUMNS = 50
#: the report keeps the first 200 errors and counts the rest
MAX_ERRORS = 200
#: the rows the page's preview shows (the bad ones first)
PREVIEW_ROWS = 200
#: how often a running import writes its progress
PROGRESS_EVERY_S = 0.5

REQUIRED = (
    "order_ref",
    "customer",
    "contract_date",
    "delivery_date",
    "product",
    "quantity",
    "unit_price",
)
LINE_COLUMNS = HEADER[10:]
#: the columns read as numbers or dates (the rest are texts)
NUMBER_COLUMNS = ("quantity", "packs", "unit_price")
DATE_COLUMNS = ("contract_date", "delivery_date")


class Code:
    FILE_TOO_LARGE = "file_too_large"
    NOT_XLSX = "not_xlsx"
    SHEET_TOO_LARGE = "sheet_too_large"
    NOT_READY = "import_not_ready"


# ---- the report --------------------------------------------------------------------------------


@dataclass
class Sheet:
    """The rows as read: Excel row numbers, the values by column of the template, and the
    file's own header and values for the annotated copy."""

    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    raw: dict[int, tuple[Any, ...]] = field(default_factory=dict)


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    rows: int = 0
    orders: int = 0
    sheet: Sheet = field(default_factory=Sheet, repr=False)

    def add(self, row: int, column: str, reason: str, **extra: Any) -> None:
        """Count an error; keep it when it is among the first MAX_ERRORS."""
        self.error_count += 1
        if len(self.errors) >= MAX_ERRORS:
            return
        position = None
        if column and column in self.sheet.header:
            position = self.sheet.header.index(column)
        elif column in HEADER:
            position = HEADER.index(column)
        letter = get_column_letter(position + 1) if position is not None else ""
        self.errors.append(
            {
                "sheet": SHEET,
                "row": row,
                "column": column,
                "cell": f"{letter}{row}" if letter else "",
                "reason": reason,
                **extra,
            }
        )

    def failed(self) -> bool:
        return self.error_count > 0

    @property
    def more_errors(self) -> int:
        """The errors counted but not kept."""
        return self.error_count - len(self.errors)


class _Rollback(Exception):
    pass


# ---- the upload, checked at once ---------------------------------------------------------------


def _refused(code: str, message: str) -> DomainError:
    return DomainError(code, message, kind=Kind.INVALID, details={"field": "file"})


def check_upload(data: bytes) -> None:
    """Refuse at once what is not a bounded .xlsx: its size, its unpacked size, and the declared
    dimensions of every sheet. Reads no row: each sheet is read up to its <dimension> (or to the
    start of its data, when a sheet declares none)."""
    if len(data) > MAX_BYTES:
        raise _refused(
            Code.FILE_TOO_LARGE,
            gettext(
                "The file is %(size)s MB; files over %(max)s MB are refused. Split it into smaller files."
            )
            % {"size": f"{len(data) / 1024 / 1024:.1f}", "max": MAX_BYTES // (1024 * 1024)},
        )
    _check_archive(data)


def _not_xlsx() -> DomainError:
    return _refused(Code.NOT_XLSX, gettext("The file is not an Excel .xlsx workbook."))


def _too_large(sheet: str, rows: int, columns: int) -> DomainError:
    return _refused(
        Code.SHEET_TOO_LARGE,
        gettext(
            "The sheet “%(sheet)s” declares %(rows)s rows and %(columns)s columns; at most "
            "%(max_rows)s rows under the header and %(max_columns)s columns are accepted. "
            "Split the file, or delete the empty rows and columns after the data."
        )
        % {
            "sheet": sheet,
            "rows": f"{rows:,}",
            "columns": f"{columns:,}",
            "max_rows": f"{MAX_ROWS:,}",
            "max_columns": MAX_COLUMNS,
        },
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """The part name of each sheet -> its title (from the workbook and its relations)."""
    targets: dict[str, str] = {}
    with archive.open("xl/_rels/workbook.xml.rels") as rels:
        for _event, element in ElementTree.iterparse(rels):
            if _local(element.tag) == "Relationship":
                target = element.get("Target", "").lstrip("/")
                targets[element.get("Id", "")] = (
                    target if target.startswith("xl/") else f"xl/{target}"
                )
    titles = {}
    with archive.open("xl/workbook.xml") as workbook:
        for _event, element in ElementTree.iterparse(workbook):
            if _local(element.tag) == "sheet":
                rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
                if rid in targets:
                    titles[targets[rid]] = element.get("name", "")
    return titles


def _declared_size(part: Any) -> tuple[int, int] | None:
    """The rows and columns a sheet's <dimension> declares, read no further than the start of
    its data (None when it declares none)."""
    for _event, element in ElementTree.iterparse(part, events=("start",)):
        tag = _local(element.tag)
        if tag == "dimension":
            ref = element.get("ref", "")
            _min_col, _min_row, max_col, max_row = range_boundaries(ref.split(":")[-1])
            return int(max_row or 0), int(max_col or 0)
        if tag == "sheetData":
            return None
    return None


def _check_archive(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise _refused(
                    Code.FILE_TOO_LARGE,
                    gettext("The file unpacks to %(size)s MB; at most %(max)s MB are accepted.")
                    % {
                        "size": f"{unpacked / 1024 / 1024:.0f}",
                        "max": MAX_UNPACKED_BYTES // (1024 * 1024),
                    },
                )
            titles = _sheet_titles(archive)
            if not titles:
                raise _not_xlsx()
            for part, title in titles.items():
                with archive.open(part) as source:
                    size = _declared_size(source)
                if size and (size[0] > MAX_ROWS + 1 or size[1] > MAX_COLUMNS):
                    raise _too_large(title, *size)
    except DomainError:
        raise
    except Exception as exc:  # a broken zip or XML: whatever it raises, it is not a workbook
        raise _not_xlsx() from exc


def _open_book(data: bytes) -> _Book:
    """The workbook and its order sheet, as ``_open_sheet`` opens them, without reading a row."""
    _check_archive(data)
    try:
        book = _book(data)
    except Exception as exc:  # openpyxl raises anything on a broken file
        raise _not_xlsx() from exc
    rows, columns = book.size or (0, 0)
    if rows > MAX_ROWS + 1 or columns > MAX_COLUMNS:
        raise _too_large(book.title, rows, columns)
    return book


# ---- the sheet's rows, read as openpyxl's read-only mode reads them, at a tenth of its cost ------

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _VALUE, _INLINE, _TEXT = f"{_MAIN}row", f"{_MAIN}v", f"{_MAIN}is", f"{_MAIN}t"
_DIGITS = "0123456789"
_CHUNK = 1 << 16
_BIG_CHUNK = 1 << 20


@dataclass
class _Book:
    """What the cells need from the workbook: its shared strings, the styles that make a number
    a date, the epoch; and the order sheet's part and declared size."""

    archive: zipfile.ZipFile
    part: str
    title: str
    size: tuple[int, int] | None
    parser: Any  # openpyxl's own cell parser, for the cells the quick path leaves to it


def _book(data: bytes) -> _Book:
    """The workbook read by openpyxl's own steps (manifest, shared strings, workbook, styles),
    all but its reading of every sheet: read-only mode reads a sheet without a <dimension>
    through to its end only to find it has none."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._reader import WorkSheetParser

    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    reader.read_theme()
    apply_stylesheet(reader.archive, reader.wb)
    sheets = [
        (sheet.name, rel.target, "chartsheet" in rel.Type)
        for sheet, rel in reader.parser.find_sheets()
        if rel.target in reader.valid_files
    ]
    named = [s for s in sheets if s[0] == SHEET]
    title, part, chart = named[0] if named else next(s for s in sheets if not s[2])
    if chart:
        raise ValueError("the order sheet is a chart")
    with reader.archive.open(part) as source:
        size = _declared_size(source)
    book = reader.wb
    parser = WorkSheetParser(
        None,
        reader.shared_strings,
        data_only=True,
        epoch=book.epoch,
        date_formats=book._date_formats,
        timedelta_formats=book._timedelta_formats,
    )
    return _Book(reader.archive, part, title, size, parser)


def _cell_values(book: _Book, row: Any, width: int) -> tuple[Any, ...]:
    """One <row>'s values by column, as openpyxl's parse_cell gives them (data only); the
    common cells (shared and plain inline strings, numbers, dates, booleans, texts of formulas)
    read here, the rest (errors, rich inline strings, anything odd) by openpyxl itself."""
    parser = book.parser
    strings = parser.shared_strings
    dates = parser.date_formats
    values: list[Any] = [None] * width
    column = 0
    for cell in row:
        kind = cell.get("t", "n")
        ref = cell.get("r")
        column = column_index_from_string(ref.rstrip(_DIGITS)) if ref else column + 1
        if column > width:
            continue
        value: Any = None
        if kind == "inlineStr":
            inline = cell.find(_INLINE)
            texts = list(inline) if inline is not None else ()
            if len(texts) == 1 and texts[0].tag == _TEXT and texts[0].text is not None:
                value = texts[0].text
            elif inline is not None:
                value = _by_openpyxl(parser, cell, column)
        elif (text := cell.findtext(_VALUE, None)) is None or text == "":
            pass  # an empty cell
        elif kind == "s":
            value = strings[int(text)]
        elif kind == "n":
            style = cell.get("s", 0)
            value = _cast_number(text)
            if style and int(style) in dates:
                try:
                    value = from_excel(
                        value, parser.epoch, timedelta=int(style) in parser.timedelta_formats
                    )
                except (OverflowError, ValueError):
                    value = _by_openpyxl(parser, cell, column)  # the date it cannot be
        elif kind == "b":
            value = bool(int(text))
        elif kind == "str":
            value = text
        else:
            value = _by_openpyxl(parser, cell, column)
        values[column - 1] = value
    return tuple(values)


def _by_openpyxl(parser: Any, cell: Any, column: int) -> Any:
    parser.col_counter = column - 1
    return parser.parse_cell(cell)["value"]


def _row_elements(book: _Book) -> Iterator[Any]:
    """The sheet's <row> elements in order. The rows are parsed a megabyte at a time, each
    run of whole rows by ElementTree at once under a copy of the sheet's own root element (its
    namespaces); a sheet written otherwise (a prefixed namespace, another encoding, a long
    head) is read event by event, as openpyxl reads it."""
    with book.archive.open(book.part) as source:
        head = source.read(_CHUNK)
        root = head.find(b"<worksheet")
        data = head.find(b"<sheetData")
        declaration = head[: head.find(b"?>")] if head.startswith(b"<?xml") else b""
        if (
            root < 0
            or data < 0
            or (b"encoding" in declaration and b"utf-8" not in declaration.lower())
        ):
            yield from _pulled_rows(source, head)
            return
        opening = head[root : head.find(b">", root) + 1]
        data_end = head.find(b">", data)
        if head[data_end - 1 : data_end] == b"/":
            return  # <sheetData/>: no rows
        buffer = head[data_end + 1 :]
        while True:
            chunk = source.read(_BIG_CHUNK)
            buffer += chunk
            end = buffer.find(b"</sheetData>")
            cut = len(buffer) if end < 0 else end
            last_row = buffer.rfind(b"</row>", 0, cut)
            if end >= 0:
                piece, buffer = buffer[:end], b""
            elif last_row >= 0:
                piece, buffer = buffer[: last_row + 6], buffer[last_row + 6 :]
            elif not chunk:
                raise ValueError("the sheet's rows do not end")
            else:
                continue
            rows = ElementTree.fromstring(
                opening + b"<sheetData>" + piece + b"</sheetData></worksheet>"
            )
            yield from rows[0]
            if end >= 0:
                return


def _pulled_rows(source: Any, head: bytes) -> Iterator[Any]:
    pull: Any = ElementTree.XMLPullParser(events=("end",))
    chunk = head
    while chunk:
        pull.feed(chunk)
        for _event, element in pull.read_events():
            if element.tag == _ROW:
                yield element
                element.clear()
        chunk = source.read(_CHUNK)
    pull.close()


def _sheet_rows(book: _Book, last: int, width: int) -> Iterator[tuple[Any, ...]]:
    """The rows 1..``last`` of the sheet, ``width`` values each, a missing row as empty: what
    ``iter_rows(min_row=1, max_row=last, max_col=width, values_only=True)`` yields."""
    empty = (None,) * width
    expected = 1
    number = 0
    for element in _row_elements(book):
        if element.tag != _ROW:
            continue
        attribute = element.get("r")
        if attribute is None:
            number += 1
        else:
            try:
                number = int(attribute)
            except ValueError:
                as_float = float(attribute)
                if not as_float.is_integer():
                    raise ValueError(f"{attribute} is not a valid row number") from None
                number = int(as_float)
        if number > last:  # the sheet goes on: empty rows up to the last asked for
            for _ in range(expected, last + 1):
                yield empty
            return
        values = _cell_values(book, element, width)
        while expected < number:
            expected += 1
            yield empty
        if expected <= number:
            expected += 1
            yield values


# ---- reading the rows --------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    return str(value).strip()


def _value(column: str, value: Any) -> Any:
    """A cell as the schema takes it; an empty cell is left out (the field's default, or
    "Required")."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if column in NUMBER_COLUMNS:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
            return _text(value)  # TRUE, a date or a time is not a number: the schema says so
        return value.strip() if isinstance(value, str) else value
    if column in DATE_COLUMNS:
        if isinstance(value, datetime):
            return value.date() if value.time() == datetime.min.time() else value
        if isinstance(value, date):
            return value
        try:  # a date cell or YYYY-MM-DD; not a number (the schema reads one as a Unix time)
            return date.fromisoformat(_text(value))
        except ValueError:
            return f"not a date: {_text(value)}"
    return _text(value)


def read_sheet(
    source: BinaryIO, report: ImportReport, progress: Callable[[float], None] | None = None
) -> Sheet:
    """The non-blank rows under the header, never past MAX_ROWS rows and MAX_COLUMNS columns."""
    sheet = report.sheet
    try:
        data = source.read()
        book = _open_book(data)
    except DomainError as exc:
        report.add(1, "", str(exc.message))
        return sheet
    declared = (book.size or (0, 0))[0] or MAX_ROWS
    try:
        rows = _sheet_rows(book, MAX_ROWS + 2, MAX_COLUMNS)
        sheet.header = [_text(h) for h in next(rows, ())]
        missing = [c for c in REQUIRED if c not in sheet.header]
        for column in missing:
            report.add(
                1,
                column,
                gettext("The column “%(c)s” is missing from the header row.") % {"c": column},
            )
        if missing:
            return sheet
        known = [(i, h) for i, h in enumerate(sheet.header) if h in HEADER]
        for number, values in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:  # openpyxl yields this row only when the sheet goes on
                report.add(
                    number,
                    "",
                    gettext(
                        "The sheet goes on past row %(last)s: at most %(max)s rows under the "
                        "header are accepted. Split the file, or delete the rows after the data."
                    )
                    % {"last": f"{MAX_ROWS + 1:,}", "max": f"{MAX_ROWS:,}"},
                )
                break
            if values is None or all(v is None or _text(v) == "" for v in values):
                continue
            sheet.raw[number] = tuple(values)
            sheet.rows.append((number, {h: values[i] for i, h in known if i < len(values)}))
            if progress is not None and number % 1000 == 0:
                progress(0.2 * min(number / declared, 1))
    except Exception as exc:  # a broken sheet part: openpyxl raises anything
        log.info("unreadable workbook: %s", exc)
        report.add(1, "", gettext("The file is not an Excel .xlsx workbook."))
    report.rows = len(sheet.rows)
    return sheet


# ---- the orders' checks: the API's schema, then the entry rules ---------------------------------


def _reason(column: str, error: Any) -> str:
    """The schema's refusal of one cell, in the user's language, with the bound it broke."""
    kind = error["type"]
    if kind == "missing":
        return gettext("Required.")
    if column == "quantity":
        return gettext("A whole number from 1 to %(max)s is required.") % {
            "max": f"{inputs.MAX_QUANTITY:,}"
        }
    if column == "packs":
        return gettext("A whole number from 0 to %(max)s is required.") % {
            "max": f"{inputs.MAX_QUANTITY:,}"
        }
    if column == "unit_price":
        return gettext(
            "A number from 0 to %(max)s with at most %(places)s decimal places is required."
        ) % {"max": f"{inputs.MAX_UNIT_PRICE:,}", "places": inputs.PRICE_PLACES}
    if column in DATE_COLUMNS:
        return gettext("A date from %(first)s to %(last)s (YYYY-MM-DD) is required.") % {
            "first": inputs.FIRST_DATE.isoformat(),
            "last": inputs.LAST_DATE.isoformat(),
        }
    if column == "currency":
        return gettext("A currency is a three-letter code such as CNY or USD.")
    if column in ("channel", "incoterm"):
        expected = (error.get("ctx") or {}).get("expected", "")
        return gettext("Unknown value; one of %(choices)s.") % {"choices": expected}
    if kind == "string_too_long":
        return gettext("At most %(n)s characters.") % {"n": error["ctx"]["max_length"]}
    return gettext("Not accepted here.")


def _order_in(group: list[tuple[int, dict[str, Any]]]) -> dict[str, Any]:
    head = group[0][1]
    data: dict[str, Any] = {
        c: v for c in ORDER_COLUMNS[1:] if (v := _value(c, head.get(c))) is not None
    }
    data["lines"] = [
        {c: v for c in LINE_COLUMNS if (v := _value(c, row.get(c))) is not None} for _, row in group
    ]
    return data


def _schema_errors(
    exc: ValidationError, group: list[tuple[int, dict[str, Any]]], report: ImportReport
) -> None:
    seen: set[tuple[int, str]] = set()
    for error in exc.errors():
        loc = error["loc"]
        if loc and loc[0] == "lines" and len(loc) >= 3 and isinstance(loc[1], int):
            number, column = group[loc[1]][0], str(loc[2])
        elif loc and loc[0] == "lines":
            number, column = group[0][0], "order_ref"
            if (number, column) not in seen:
                seen.add((number, column))
                report.add(
                    number,
                    column,
                    gettext("An order has at most %(n)s lines; this one has %(count)s.")
                    % {"n": inputs.MAX_LINES, "count": len(group)},
                )
            continue
        else:
            number, column = group[0][0], str(loc[0]) if loc else "order_ref"
        if (number, column) in seen:
            continue
        seen.add((number, column))
        report.add(number, column, _reason(column, error))


_LINE_FIELD = re.compile(r"^lines\[(\d+)\]\.(\w+)$")


def _entry_errors(
    exc: DomainError, group: list[tuple[int, dict[str, Any]]], ref: str, report: ImportReport
) -> None:
    fields = exc.details.get("fields") or {exc.details.get("field", "order_ref"): str(exc.message)}
    for where, message in fields.items():
        match = _LINE_FIELD.match(where)
        if match and 0 < int(match.group(1)) <= len(group):
            report.add(group[int(match.group(1)) - 1][0], match.group(2), message, order_ref=ref)
        else:
            column = where if where in HEADER else "order_ref"
            report.add(group[0][0], column, message, order_ref=ref)


def _groups(sheet: Sheet, report: ImportReport) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for number, row in sheet.rows:
        ref = _text(row.get("order_ref"))
        if not ref:
            report.add(number, "order_ref", gettext("Required."))
            continue
        groups.setdefault(ref, []).append((number, row))
    for group in groups.values():
        head = group[0][1]
        first = {c: _text(head.get(c)) for c in ORDER_COLUMNS}
        for number, row in group[1:]:
            for column in ORDER_COLUMNS:
                value = row.get(column)
                if value == head.get(column) and type(value) is type(head.get(column)):
                    continue  # the same cell value: the same text
                if _text(value) != first[column]:
                    report.add(
                        number, column, gettext("Differs from the first row of the same order_ref.")
                    )
    return groups


def _entry_fields(order_in: Any) -> dict[str, Any]:
    """An order as the schema read it, as ``enter_order`` takes it (without the actor)."""
    fields: dict[str, Any] = order_in.model_dump(exclude={"submit"}, exclude_none=True)
    fields["lines"] = [LineInput(**line) for line in fields["lines"]]
    return fields


@verb(Perm.IMPORT_ORDERS)
def import_orders(
    source: BinaryIO,
    *,
    actor: Any,
    dry_run: bool = False,
    progress: Callable[[float], None] | None = None,
) -> ImportReport:
    """Import every order of the workbook as drafts, or none of them.

    With `dry_run` every check runs, the orders included, and everything is rolled back at the
    end: the report's errors are what a real import would report, and nothing is written.
    `progress` is told how far the import is (0..1) now and then.
    """
    from gendan.orders.api import OrderIn  # the API's own schema: the same bounds on every path

    report = ImportReport()
    sheet = read_sheet(source, report, progress)
    if not sheet.rows and not report.failed():
        report.add(2, "order_ref", gettext("The sheet has no rows."))
    if report.failed():
        return report
    groups = _groups(sheet, report)
    report.orders = len(groups)
    orders: list[tuple[str, list[tuple[int, dict[str, Any]]], Any]] = []
    for ref, group in groups.items():
        try:
            orders.append((ref, group, OrderIn.model_validate(_order_in(group))))
        except ValidationError as exc:
            _schema_errors(exc, group, report)
    if progress is not None:
        progress(0.3)
    if report.failed():
        return report
    try:
        with transaction.atomic(durable=True):
            fields = [_entry_fields(order_in) for _, _, order_in in orders]
            try:
                entered: list[Any] = enter_orders(
                    actor=actor,
                    orders=fields,
                    progress=None if progress is None else (lambda f: progress(0.3 + 0.7 * f)),
                )
            except DomainError as exc:  # refused as a whole (the actor may not enter orders)
                entered = [exc] * len(orders)
            for (ref, group, _), result in zip(orders, entered, strict=True):
                if isinstance(result, DomainError):
                    _entry_errors(result, group, ref, report)
                else:
                    report.imported.append(result.number)
            if report.failed() or dry_run:
                raise _Rollback
            record(
                kind=EventKind.ORDERS_IMPORTED,
                actor=actor,
                payload={"orders": report.imported, "rows": report.rows},
            )
    except _Rollback:
        report.imported = []
    return report


# ---- what the page shows and the annotated copy ------------------------------------------------


def _shown(value: Any) -> str:
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return _text(value)


def preview_of(report: ImportReport) -> dict[str, Any]:
    """The rows the page shows: those with an error first (up to PREVIEW_ROWS), then the others
    up to PREVIEW_ROWS; each cell with the reasons it was refused."""
    rows = report.sheet.rows
    columns = [c for c in HEADER if any(c in r for _, r in rows[:PREVIEW_ROWS])] or list(HEADER)
    by_cell: dict[tuple[int, str], list[str]] = {}
    bad_rows: dict[int, list[str]] = {}
    for e in report.errors:
        if e["column"] in columns:
            by_cell.setdefault((e["row"], e["column"]), []).append(str(e["reason"]))
        bad_rows.setdefault(e["row"], [])
    shown = [r for r in rows if r[0] in bad_rows][:PREVIEW_ROWS]
    if len(shown) < PREVIEW_ROWS:
        shown = sorted(
            shown + [r for r in rows if r[0] not in bad_rows][: PREVIEW_ROWS - len(shown)]
        )
    table = []
    for number, row in shown:
        cells = [
            {
                "column": column,
                "value": _shown(row.get(column))[:200],
                "reasons": by_cell.get((number, column), []),
            }
            for column in columns
        ]
        table.append({"number": number, "cells": cells, "bad": number in bad_rows})
    return {"columns": columns, "rows": table, "total_rows": len(rows)}


BAD_FILL = PatternFill(fill_type="solid", start_color="FFF4CCCC", end_color="FFF4CCCC")


def annotated_workbook(report: ImportReport) -> bytes:
    """The file's rows back, each refused cell filled red with its reasons as a comment (the
    first MAX_ERRORS errors); a text that would be a formula stays text."""
    from openpyxl.cell import WriteOnlyCell

    sheet = report.sheet
    reasons: dict[tuple[int, int], list[str]] = {}
    for e in report.errors:
        if e["column"] and e["column"] in sheet.header:
            position = sheet.header.index(e["column"]) + 1
        else:
            position = 1
        reasons.setdefault((e["row"], position), []).append(str(e["reason"]))
    book = Workbook(write_only=True)
    out = book.create_sheet(SHEET)

    def cell(value: Any, row: int, column: int) -> Any:
        if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
            c = WriteOnlyCell(out, value=value)
            c.data_type = "s"
        else:
            c = WriteOnlyCell(out, value=value)
        found = reasons.get((row, column))
        if found:
            c.fill = BAD_FILL
            c.comment = Comment("\n".join(found), "Gendan")
        return c

    width = max([len(sheet.header), *(len(v) for v in sheet.raw.values())], default=0)
    width = max(width, max((c for _, c in reasons), default=0))

    def line(row: int, values: Iterable[Any]) -> list[Any]:
        padded = list(values)
        padded += [None] * (width - len(padded))
        return [cell(v, row, i) for i, v in enumerate(padded, start=1)]

    out.append(line(1, sheet.header))
    last = 1
    for number in sorted({*sheet.raw, *(r for r, _ in reasons)}):
        if number <= 1:
            continue
        for _ in range(last + 1, number):
            out.append([])
        out.append(line(number, sheet.raw.get(number, ())))
        last = number
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---- the run: upload, confirm, the worker's task ------------------------------------------------


@verb(Perm.IMPORT_ORDERS)
def start_import(*, actor: Any, name: str, data: bytes, confirmed: bool = False) -> OrderImport:
    """Take an upload: refused at once if it is not a bounded .xlsx, else queued for the worker,
    which checks it (and imports it, when `confirmed`)."""
    check_upload(data)
    with transaction.atomic(durable=True):
        run = OrderImport.objects.create(
            created_by=actor, name=name[:255], data=data, confirmed=confirmed
        )
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


@verb(Perm.IMPORT_ORDERS)
def confirm_import(*, actor: Any, key: Any) -> OrderImport:
    """Import a checked upload that had no error: queued for the worker again, as a real import."""
    run = get_import_for(actor, key)
    with transaction.atomic(durable=True):
        taken = OrderImport.objects.filter(pk=run.pk, status=ImportStatus.READY).update(
            status=ImportStatus.QUEUED, confirmed=True, progress=0
        )
        if not taken:
            raise DomainError(
                Code.NOT_READY,
                gettext("This upload is not waiting to be imported (it is “%(status)s”).")
                % {"status": run.get_status_display()},
                details={"status": run.status},
            )
        transaction.on_commit(lambda: _enqueue(run.pk))
    run.refresh_from_db()
    return run


def get_import_for(user: Any, key: Any) -> OrderImport:
    """An upload of the user's (nobody sees another's); a read, not a verb."""
    run = OrderImport.objects.filter(key=key, created_by=user).first() if key else None
    if run is None:
        raise DomainError("import_not_found", gettext("No such import."), kind=Kind.NOT_FOUND)
    return run


def _enqueue(run_id: int) -> None:
    from gendan.orders.tasks import run_order_import

    run_order_import.enqueue(run_id)


class _Progress:
    """Writes a run's progress now and then. Inside the import's own transaction the row is
    written through a second connection on PostgreSQL (the page sees it at once); SQLite allows
    one writer, so there only the reading phase before the transaction shows its progress."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.last = 0.0
        self.side: Any = None

    def __call__(self, fraction: float) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY_S:
            return
        self.last = now
        fraction = max(0.0, min(fraction, 0.99))
        try:
            if not connection.in_atomic_block:
                OrderImport.objects.filter(pk=self.run_id).update(progress=fraction)
            elif connection.vendor == "postgresql":
                if self.side is None:
                    self.side = connections.create_connection(DEFAULT_DB_ALIAS)
                with self.side.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {OrderImport._meta.db_table} SET progress = %s WHERE id = %s",
                        [fraction, self.run_id],
                    )
        except DatabaseError:  # progress is news, not the result
            log.info("progress of import %s not written", self.run_id)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def run_import(run_id: int) -> str:
    """The worker's task: check (and, when confirmed, import) a queued upload; its result, its
    errors, the preview and the annotated copy are kept on the run. A failure is kept with its
    message, never lost."""
    run = OrderImport.objects.filter(pk=run_id).select_related("created_by").first()
    if run is None or run.status != ImportStatus.QUEUED:
        return "skipped"
    working = ImportStatus.IMPORTING if run.confirmed else ImportStatus.CHECKING
    claimed = OrderImport.objects.filter(pk=run_id, status=ImportStatus.QUEUED).update(
        status=working, progress=0
    )
    if not claimed:
        return "skipped"
    progress = _Progress(run_id)
    language = getattr(run.created_by, "language", "") or settings.LANGUAGE_CODE
    try:
        with translation.override(language):  # the report in the uploader's language
            report = _checked_or_imported(run, progress)
        done = not report.error_count
        status = (
            ImportStatus.INVALID
            if not done
            else (ImportStatus.DONE if run.confirmed else ImportStatus.READY)
        )
        OrderImport.objects.filter(pk=run_id).update(
            status=status,
            progress=1,
            rows=report.rows,
            order_count=report.orders,
            errors=report.errors,
            error_count=report.error_count,
            preview=preview_of(report),
            annotated=annotated_workbook(report) if report.error_count else None,
            imported=report.imported,
            **({"data": b""} if status == ImportStatus.DONE else {}),  # its orders hold it now
            finished_at=timezone.now(),
        )
    except Exception as exc:  # a bug must not leave the run "running" for ever
        log.exception("order import %s failed", run_id)
        OrderImport.objects.filter(pk=run_id).update(
            status=ImportStatus.FAILED, failure=str(exc)[:2000], finished_at=timezone.now()
        )
        return ImportStatus.FAILED
    finally:
        progress.close()
    return status


def _checked_or_imported(run: OrderImport, progress: _Progress) -> ImportReport:
    return import_orders(
        io.BytesIO(bytes(run.data)),
        actor=run.created_by,
        dry_run=not run.confirmed,
        progress=progress,
    )


def import_report_out(run: OrderImport) -> dict[str, Any]:
    """A run as the API and the page's progress answer it."""
    return {
        "key": str(run.key),
        "name": run.name,
        "status": run.status,
        "status_label": run.get_status_display(),
        "confirmed": run.confirmed,
        "progress": round(run.progress, 3),
        "rows": run.rows,
        "orders": run.order_count,
        "imported": list(run.imported),
        "errors": list(run.errors),
        "error_count": run.error_count,
        "more_errors": run.error_count - len(run.errors),
        "failure": run.failure,
        "created_at": run.created_at,
        "finished_at": run.finished_at,
    }
