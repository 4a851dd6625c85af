"""What a file is, from its first bytes (its magic), never from its name alone.

Each allowed kind has its magic, the names it may carry and the MIME type it is served with.
Office files are ZIP archives: the archive's directory must hold the part of its kind.
Plain text has no magic: its first block must decode as UTF-8 (or GB18030) and hold no NUL.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

HEAD_BYTES = 8192


@dataclass(frozen=True)
class FileKind:
    code: str
    mime: str
    extensions: tuple[str, ...]
    sniff: Callable[[bytes], bool]
    zip_part: str = ""  # office files: a part the archive must hold
    image: bool = False  # Pillow makes a thumbnail and a page copy


def _text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as exc:
            # a multi-byte character cut by the end of the block is still text
            if exc.start >= len(head) - 3 and encoding == "utf-8":
                return True
            continue
        return True
    return False


def _iso_media(head: bytes, brands: set[bytes]) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in brands


KINDS: tuple[FileKind, ...] = (
    FileKind("pdf", "application/pdf", (".pdf",), lambda h: h.startswith(b"%PDF-")),
    FileKind(
        "jpeg",
        "image/jpeg",
        (".jpg", ".jpeg", ".jfif"),
        lambda h: h.startswith(b"\xff\xd8\xff"),
        image=True,
    ),
    FileKind(
        "png", "image/png", (".png",), lambda h: h.startswith(b"\x89PNG\r\n\x1a\n"), image=True
    ),
    FileKind(
        "webp",
        "image/webp",
        (".webp",),
        lambda h: h[:4] == b"RIFF" and h[8:12] == b"WEBP",
        image=True,
    ),
    # HEIC (iPhone photos) is kept as it is: Pillow reads it only with a plugin we do not add.
    FileKind(
        "heic",
        "image/heic",
        (".heic", ".heif"),
        lambda h: _iso_media(h, {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"}),
    ),
    FileKind(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (".xlsx",),
        lambda h: h.startswith(b"PK\x03\x04"),
        zip_part="xl/workbook.xml",
    ),
    FileKind(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
        lambda h: h.startswith(b"PK\x03\x04"),
        zip_part="word/document.xml",
    ),
    FileKind("txt", "text/plain", (".txt", ".csv", ".log"), _text),
)
BY_CODE = {k.code: k for k in KINDS}


def extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def sniff(head: bytes, stream: IO[bytes], allowed: list[str]) -> FileKind | None:
    """The allowed kind whose magic the file has (office files: and whose part it holds)."""
    for kind in KINDS:
        if kind.code not in allowed or not kind.sniff(head):
            continue
        if kind.zip_part:
            try:
                stream.seek(0)
                with zipfile.ZipFile(stream) as archive:
                    if kind.zip_part not in archive.namelist():
                        continue
            except zipfile.BadZipFile:
                continue
        return kind
    return None


def by_name(name: str) -> FileKind | None:
    ext = extension(name)
    return next((k for k in KINDS if ext in k.extensions), None)


def accept_attribute(allowed: list[str]) -> str:
    """The file input's accept="": the allowed kinds' extensions and MIME types."""
    parts: list[str] = []
    for kind in KINDS:
        if kind.code in allowed:
            parts += [kind.mime, *kind.extensions]
    return ",".join(parts)
