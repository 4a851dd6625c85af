"""The printed documents: each renders as a page and as a PDF with the CJK font embedded."""

from __future__ import annotations

import io
import re
import zlib

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from gendan.accounts.models import User
from gendan.accounts.permissions import Role
from gendan.orders.workflow import Status

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def shipped(world):
    order = world.order(to=Status.SHIPPED)
    notice = order.shipping_notices.select_related("outbound_slip", "delivery_note").get()
    return order, {
        "shipping_notice": notice.number,
        "outbound_slip": notice.outbound_slip.number,
        "delivery_note": notice.delivery_note.number,
        "proforma_invoice": order.number,
    }


def _url(order, kind, doc, pdf=False):
    return reverse("web:document_pdf" if pdf else "web:document", args=[order.number, kind, doc])


def _client(client, user, lang="zh-hans"):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = lang
    User.objects.filter(pk=user.pk).update(language=lang)
    return client


EXPECTED = {
    "shipping_notice": "出运通知单",
    "outbound_slip": "出库单",
    "delivery_note": "送货单",
    "proforma_invoice": "形式发票",
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_each_document_renders_as_a_page(client, users, shipped, kind):
    order, docs = shipped
    response = _client(client, users["merch"]).get(_url(order, kind, docs[kind]))
    assert response.status_code == 200
    html = response.content.decode()
    assert EXPECTED[kind] in html
    assert order.number in html and order.customer.name in html
    assert f'data-testid="doc-{kind}-pdf"' in html
    assert "@page { size: A4; margin: 15mm; }" in html
    assert "NotoSansCJKsc-Regular-GB2312.woff2" in html


def test_shipping_notice_prints_three_labelled_copies(client, users, shipped):
    order, docs = shipped
    html = (
        _client(client, users["warehouse"])
        .get(_url(order, "shipping_notice", docs["shipping_notice"]))
        .content.decode()
    )
    assert html.count('class="doc-page"') == 3
    for code, term in (("warehouse", "仓库联"), ("finance", "财务联"), ("merchandiser", "跟单联")):
        assert f'data-copy="{code}"' in html
        assert term in html
    assert html.index("仓库联") < html.index("财务联") < html.index("跟单联")
    assert "page-break-before: always" in html


def test_english_labels_beside_the_chinese_terms(client, users, shipped):
    order, docs = shipped
    html = (
        _client(client, users["merch"], "en")
        .get(_url(order, "shipping_notice", docs["shipping_notice"]))
        .content.decode()
    )
    assert "Warehouse copy" in html and "Finance copy" in html and "Merchandiser copy" in html
    assert "Shipping notice" in html


def test_delivery_note_has_a_receiver_signature_box_and_no_prices(client, users, shipped):
    order, docs = shipped
    html = (
        _client(client, users["merch"])
        .get(_url(order, "delivery_note", docs["delivery_note"]))
        .content.decode()
    )
    assert 'data-testid="receiver-signature"' in html
    assert 'data-testid="doc-total"' not in html
    assert "12.50" not in html


def test_proforma_invoice_shows_prices_to_those_who_may_see_them(client, users, shipped):
    order, _docs = shipped
    html = (
        _client(client, users["finance"])
        .get(_url(order, "proforma_invoice", order.number))
        .content.decode()
    )
    assert 'data-testid="doc-total"' in html
    assert "12.50" in html


def test_proforma_invoice_is_refused_without_view_prices(client, users, shipped):
    order, docs = shipped
    c = _client(client, users["production"])
    assert c.get(_url(order, "proforma_invoice", order.number)).status_code == 403
    assert c.get(_url(order, "proforma_invoice", order.number, pdf=True)).status_code == 403
    # the shipping documents carry no prices, so production may print them
    assert c.get(_url(order, "delivery_note", docs["delivery_note"])).status_code == 200


def test_a_user_who_cannot_see_the_order_gets_404(client, users, shipped):
    order, docs = shipped
    other = User.objects.create_user(username="sales2", password="x")
    other.groups.add(Group.objects.get(name=Role.SALESPERSON))
    c = _client(client, other)
    for kind, doc in docs.items():
        assert c.get(_url(order, kind, doc)).status_code == 404
        assert c.get(_url(order, kind, doc, pdf=True)).status_code == 404


def test_unknown_kind_or_number_is_404(client, users, shipped):
    order, docs = shipped
    c = _client(client, users["merch"])
    assert c.get(_url(order, "packing_list", "X")).status_code == 404
    assert c.get(_url(order, "delivery_note", "DN-NOPE")).status_code == 404
    assert c.get(_url(order, "delivery_note", docs["shipping_notice"])).status_code == 404
    assert c.get(_url(order, "proforma_invoice", "SO-OTHER")).status_code == 404


@pytest.mark.parametrize("kind", ["shipping_notice", "delivery_note"])
def test_pdf_embeds_the_cjk_font(client, users, shipped, kind):
    order, docs = shipped
    response = _client(client, users["merch"]).get(_url(order, kind, docs[kind], pdf=True))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    # the objects sit in compressed streams: inflate them all and look for the font
    inflated = pdf + b"".join(_inflate(pdf))
    assert b"Noto-Sans-CJK-SC" in inflated  # the /FontName of the embedded subset
    assert b"/FontFile3" in inflated  # embedded (CFF), not merely referenced
    if kind == "shipping_notice":
        assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", inflated)) == 3
    try:  # the text is extractable, where pypdf is installed
        import pypdf
    except ImportError:
        return
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert EXPECTED[kind] in text


def _inflate(pdf: bytes) -> list[bytes]:
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    return out


def test_the_vendored_font_keeps_cid_equal_to_glyph_id():
    """The PDF names a glyph of a CID-keyed CFF font by its CID while WeasyPrint writes glyph ids:
    a subset that renumbered the glyphs embeds fine but draws the wrong (empty) glyphs."""
    from fontTools.ttLib import TTFont

    from gendan.shipping.documents import font_path

    font = TTFont(font_path())
    cmap = font.getBestCmap()
    for char in "出运通知单仓库联财务跟送货形式发票A1":
        name = cmap[ord(char)]
        assert name.startswith("cid"), name
        assert font.getGlyphID(name) == int(name[3:]), char
    assert font_path().stat().st_size < 3 * 1024 * 1024
