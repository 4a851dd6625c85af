"""The message catalogues: every string the code marks for translation is in Chinese.

The .po and .mo files are read with the standard library only, so the test needs no
gettext command-line tools. The source is scanned the way `makemessages` scans it
(the same files, the same gettext function names), with Python's own parser.
"""

from __future__ import annotations

import ast
import gettext as stdlib_gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

from gendan.accounts.permissions import Perm, Role
from gendan.orders.workflow import Status

SOURCE = Path(__file__).resolve().parents[2]  # src/gendan: where makemessages runs
LOCALE = SOURCE / "locale"
ZH_PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"

# makemessages -l zh_Hans --ignore 'engines/*' --ignore 'conftest.py' --ignore '*/tests/*'
IGNORED_DIRS = {"engines", "tests", "locale", "__pycache__"}
IGNORED_FILES = {"conftest.py"}
TEMPLATES = ("*.html", "*.txt")  # makemessages' default extensions besides .py

# Python gettext keywords as xgettext and Django's makemessages use them:
# name -> (index of the context argument or None, indexes of the message arguments).
KEYWORDS: dict[str, tuple[int | None, tuple[int, ...]]] = {
    "_": (None, (0,)),
    "gettext": (None, (0,)),
    "gettext_lazy": (None, (0,)),
    "gettext_noop": (None, (0,)),
    "ngettext": (None, (0, 1)),
    "ngettext_lazy": (None, (0, 1)),
    "pgettext": (0, (1,)),
    "pgettext_lazy": (0, (1,)),
    "npgettext": (0, (1, 2)),
    "npgettext_lazy": (0, (1, 2)),
}

# A Chinese translation must hold a CJK character or full-width punctuation, unless listed here.
NOT_CHINESE_ON_PURPOSE: set[str] = set()

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")  # with 、，：（）


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translations(self) -> list[str]:
        return [self.msgstr[i] for i in sorted(self.msgstr)] or [""]


def _unquote(text: str) -> str:
    # A PO string is a C string in double quotes; Python's own literals read it the same.
    return ast.literal_eval(text)


def parse_po(path: Path) -> tuple[Entry, list[Entry]]:
    """Return the header entry and the live (not obsolete) entries of a .po file."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            current, target = None, None
            continue
        if line.startswith("#~"):
            current, target = None, None  # obsolete entry: makemessages keeps it, msgfmt not
            continue
        if current is None:
            current = Entry(line=number)
            entries.append(current)
        if line.startswith("#,"):
            current.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert target is not None, f"{path}:{number}: a string continues nothing"
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += _unquote(line)
            else:
                setattr(current, name, getattr(current, name) + _unquote(line))
        else:
            keyword, _space, value = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                target = ("msgstr", int(match.group(1)))
                current.msgstr[target[1]] = _unquote(value)
            elif keyword == "msgstr":
                target = ("msgstr", 0)
                current.msgstr[0] = _unquote(value)
            elif keyword in {"msgid", "msgid_plural", "msgctxt"}:
                target = (keyword, 0)
                setattr(current, keyword, _unquote(value))
            else:
                raise AssertionError(f"{path}:{number}: unexpected line {raw!r}")
    entries = [e for e in entries if e.msgstr or e.msgid]
    header = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    return header, [e for e in entries if e is not header]


def source_files(pattern: str) -> list[Path]:
    files = []
    for path in sorted(SOURCE.rglob(pattern)):
        parts = path.relative_to(SOURCE).parts
        if any(p in IGNORED_DIRS or p.startswith(".") for p in parts[:-1]):
            continue
        if path.name in IGNORED_FILES:
            continue
        files.append(path)
    return files


def _called_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _marked(node: ast.Call) -> tuple[str | None, str] | None:
    """The (context, msgid) of a gettext call with literal arguments, else None."""
    context_index, message_indexes = KEYWORDS[_called_name(node)]
    if len(node.args) <= max(message_indexes):
        return None
    context = None
    if context_index is not None:
        context = _literal(node.args[context_index])
        if context is None:
            return None
    msgid = _literal(node.args[message_indexes[0]])
    if not msgid:
        return None  # a variable, or an f-string: xgettext cannot extract it either
    return context, msgid


def _python_calls(path: Path) -> list[tuple[ast.Call, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        (node, node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _called_name(node) in KEYWORDS
    ]


TEMPLATE_CALL = re.compile(r"\b(?:n?p?gettext|_)\(")


def _template_calls(path: Path) -> list[tuple[ast.Call, int]]:
    """Django's own templatize() turns {% translate %} and {% blocktranslate %} into the
    gettext calls makemessages hands to xgettext; each call is read back with ast."""
    from django.utils.translation.template import templatize

    text = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    calls = []
    for match in TEMPLATE_CALL.finditer(text):
        end = text.find(")", match.end())
        while end != -1:  # the shortest text from the name to a ")" that parses is the call
            try:
                node = ast.parse(text[match.start() : end + 1], mode="eval").body
            except SyntaxError:
                end = text.find(")", end + 1)
                continue
            if isinstance(node, ast.Call):
                calls.append((node, text.count("\n", 0, match.start()) + 1))
            break
    return calls


def source_msgids() -> dict[tuple[str | None, str], str]:
    """Every (context, msgid) the code and templates mark for translation, and where."""
    found: dict[tuple[str | None, str], str] = {}
    sources = [(path, _python_calls) for path in source_files("*.py")]
    sources += [(path, _template_calls) for pattern in TEMPLATES for path in source_files(pattern)]
    for path, calls in sources:
        for node, line in calls(path):
            marked = _marked(node)
            if marked is not None:
                found.setdefault(marked, f"{path.relative_to(SOURCE)}:{line}")
    return found


@pytest.fixture(scope="module")
def zh() -> tuple[Entry, list[Entry]]:
    return parse_po(ZH_PO)


@pytest.fixture(scope="module")
def en() -> tuple[Entry, list[Entry]]:
    return parse_po(EN_PO)


def _describe(entry: Entry) -> str:
    return f"line {entry.line}: {entry.msgid!r}"


@pytest.mark.parametrize("path", [ZH_PO, EN_PO], ids=["zh_Hans", "en"])
def test_no_entry_is_fuzzy_or_untranslated(path):
    header, entries = parse_po(path)
    assert entries, f"{path} has no messages"
    assert "fuzzy" not in header.flags, f"{path}: the header is fuzzy; msgfmt would ignore it"
    fuzzy = [_describe(e) for e in entries if "fuzzy" in e.flags]
    empty = [_describe(e) for e in entries if not all(t.strip() for t in e.translations)]
    assert not fuzzy, f"fuzzy entries in {path}: {fuzzy}"
    assert not empty, f"untranslated entries in {path}: {empty}"


@pytest.mark.parametrize("path", [ZH_PO, EN_PO], ids=["zh_Hans", "en"])
def test_translations_keep_every_placeholder(path):
    _header, entries = parse_po(path)
    wrong = []
    for entry in entries:
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        for text in entry.translations:
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                wrong.append(f"{_describe(entry)} -> {text!r}")
    assert not wrong, f"placeholders differ in {path}: {wrong}"


def test_every_chinese_translation_is_chinese(zh):
    _header, entries = zh
    english = [
        _describe(e)
        for e in entries
        if e.msgid not in NOT_CHINESE_ON_PURPOSE and not all(CJK.search(t) for t in e.translations)
    ]
    assert not english, f"zh_Hans entries without a Chinese character: {english}"


@pytest.mark.parametrize("path", [ZH_PO, EN_PO], ids=["zh_Hans", "en"])
def test_every_string_of_the_source_is_in_the_catalogue(path):
    _header, entries = parse_po(path)
    known = {e.key for e in entries}
    missing = sorted(
        f"{where}: {msgid!r}"
        for (context, msgid), where in source_msgids().items()
        if (context, msgid) not in known
    )
    assert not missing, (
        f"not in {path.relative_to(SOURCE)}; run `gendan makemessages -l zh_Hans -l en "
        f"--ignore 'engines/*' --ignore conftest.py --ignore '*/tests/*'` in src/gendan, "
        f"translate, then `gendan compilemessages`: {missing}"
    )


@pytest.mark.parametrize("path", [ZH_PO, EN_PO], ids=["zh_Hans", "en"])
def test_the_compiled_catalogue_matches_the_po(path):
    mo = path.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `gendan compilemessages`"
    with mo.open("rb") as handle:
        compiled = stdlib_gettext.GNUTranslations(handle)._catalog
    _header, entries = parse_po(path)
    stale = []
    for entry in entries:
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            if compiled.get(key) != entry.msgstr.get(0):
                stale.append(_describe(entry))
        elif any(compiled.get((key, i)) != text for i, text in entry.msgstr.items()):
            stale.append(_describe(entry))
    assert not stale, f"{mo} is older than its .po: run `gendan compilemessages`: {stale}"


GATE_MESSAGES = {
    "Waiting for the finance signature.": "等待财务会签。",
    "Waiting for the sales manager's signature.": "等待销售经理会签。",
    "The outbound slip has already been issued.": "出库单已开出。",
    "Cash on delivery not reconciled by the cashier.": "出纳尚未核对司机代收货款。",
}


@pytest.mark.parametrize(("english", "chinese"), GATE_MESSAGES.items())
def test_gate_reasons_read_in_chinese(english, chinese):
    with translation.override("zh-hans"):
        assert gettext(english) == chinese
    with translation.override("en"):
        assert gettext(english) == english


def test_placeholders_survive_translation():
    with translation.override("zh-hans"):
        text = gettext("Deposit not received: %(amount)s %(currency)s outstanding.") % {
            "amount": "3000.00",
            "currency": "CNY",
        }
    assert text == "订金未到账：尚欠 3000.00 CNY。"


def test_statuses_roles_and_permissions_read_in_chinese():
    with translation.override("zh-hans"):
        assert str(Status.DRAFT.label) == "草稿"
        assert str(Status.DEPOSIT_CONFIRMED.label) == "订金已到账"
        assert str(Status.CLOSED.label) == "已结案"
        assert str(Role.MERCHANDISER.label) == "跟单员"
        assert str(Role.SALESPERSON.label) == "业务员"
        assert str(Perm.ISSUE_SHIPPING_NOTICE.label) == "开出运通知单"
        for choices in (Status, Role, Perm):
            untranslated = [str(label) for label in choices.labels if not CJK.search(str(label))]
            assert not untranslated, f"{choices.__name__}: {untranslated}"
    with translation.override("en"):
        assert str(Status.DRAFT.label) == "Draft"


def test_model_field_labels_read_in_chinese():
    from gendan.orders.models import Order

    with translation.override("zh-hans"):
        assert str(Order._meta.verbose_name) == "订单"
        assert str(Order._meta.get_field("delivery_date").verbose_name) == "交货日期"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("zh-hans", "请先登录，或提供有效的 API 令牌。"),
        ("en", "Sign in or send a valid API token."),
    ],
)
def test_api_errors_follow_accept_language(client, language, message):
    response = client.get("/api/v1/orders", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 401
    assert response.json()["message"] == message
