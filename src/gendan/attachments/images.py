"""Images shrunk for pages: a thumbnail for lists and a copy sized for a screen or a sheet.

Phone photos are turned upright (EXIF orientation) and written as JPEG (PNG keeps its
transparency as PNG). A picture larger than Pillow's decompression-bomb limit is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import IO

THUMBNAIL_PX = 320
PAGE_PX = 1600


@dataclass(frozen=True)
class Shrunk:
    width: int
    height: int
    thumbnail: bytes
    page_copy: bytes
    extension: str  # of the copies: ".jpg" or ".png"


class UnreadableImage(ValueError):
    pass


def shrink(stream: IO[bytes]) -> Shrunk:
    from PIL import Image, ImageOps

    stream.seek(0)
    try:
        with Image.open(stream) as opened:
            opened.load()
            source_format = opened.format
            image = ImageOps.exif_transpose(opened)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise UnreadableImage(str(exc)) from exc
    keep_alpha = image.mode in ("RGBA", "LA", "P") and source_format != "JPEG"
    fmt, ext = ("PNG", ".png") if keep_alpha else ("JPEG", ".jpg")
    if not keep_alpha and image.mode != "RGB":
        image = image.convert("RGB")

    def copy(px: int) -> bytes:
        small = image.copy()
        small.thumbnail((px, px))
        out = BytesIO()
        if fmt == "JPEG":
            small.save(out, "JPEG", quality=82, optimize=True)
        else:
            small.save(out, "PNG", optimize=True)
        return out.getvalue()

    return Shrunk(image.width, image.height, copy(THUMBNAIL_PX), copy(PAGE_PX), ext)
