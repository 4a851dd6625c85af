"""Files for the tests, made in code: a photo, a fax (PDF), a workbook, a document, a fake."""

from __future__ import annotations

import zipfile
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile


def photo(
    name: str = "first-article.jpg", size: tuple[int, int] = (2400, 1800)
) -> SimpleUploadedFile:
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "JPEG", quality=70)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png(name: str = "proof.png") -> SimpleUploadedFile:
    from PIL import Image

    out = BytesIO()
    Image.new("RGBA", (800, 600), (0, 128, 0, 128)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


FAX_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def fax(name: str = "customer-fax.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, FAX_PDF, content_type="application/pdf")


def workbook(name: str = "packing.xlsx") -> SimpleUploadedFile:
    from openpyxl import Workbook

    out = BytesIO()
    Workbook().save(out)
    return SimpleUploadedFile(name, out.getvalue())


def zip_without_a_workbook(name: str = "packing.xlsx") -> SimpleUploadedFile:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    return SimpleUploadedFile(name, out.getvalue())


def program(name: str = "invoice.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")


def text(name: str = "notes.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "客户要求：纸箱五层瓦楞\n".encode(), content_type="text/plain")
