"""Charts: the same data draw the same SVG; it is accessible, escaped and script-free."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from gendan import charts

NS = "{http://www.w3.org/2000/svg}"


def draw(kind=charts.stacked_bar, **overrides):
    args = {
        "title": "每日导出 Exports per day",
        "description": "近30天，按种类 · last 30 days by kind",
        "x_labels": ["05-01", "05-02", "05-03"],
        "series": [
            charts.Series("订单列表", [3, 0, 2]),
            charts.Series("Counting errors", [1, 1, None]),
        ],
        "y_title": "次数",
    }
    return kind(**{**args, **overrides})


@pytest.mark.parametrize("kind", [charts.bar, charts.line, charts.stacked_bar])
def test_each_kind_draws_an_accessible_svg_with_its_chinese_and_english_labels(kind):
    svg = draw(kind)
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    ident = root.get("id")
    assert re.fullmatch(r"chart-[0-9a-f]{16}", ident)
    assert root.get("aria-labelledby") == f"{ident}-title {ident}-desc"
    assert root.find(f"{NS}title").text == "每日导出 Exports per day"
    assert root.find(f"{NS}desc").text == "近30天，按种类 · last 30 days by kind"
    texts = {t.text for t in root.iter(f"{NS}text")}
    assert {"订单列表", "Counting errors", "05-01", "05-03", "次数"} <= texts
    assert root.get("viewBox") == "0 0 800 320"  # scales to its container: a phone too


def test_the_same_data_give_the_same_bytes_and_other_data_another_id():
    assert draw() == draw()
    other = draw(series=[charts.Series("订单列表", [3, 0, 3])])
    assert other != draw()
    assert ET.fromstring(other).get("id") != ET.fromstring(draw()).get("id")


def test_user_text_is_escaped_and_the_chart_carries_no_script_or_comment():
    svg = draw(
        title='<script>alert("t")</script>',
        series=[charts.Series('客户 <img src=x onerror="alert(1)">', [1, 2, 3])],
    )
    assert "<script" not in svg and "<img" not in svg and "<!--" not in svg
    assert "&lt;script&gt;" in svg and "&lt;img src=x" in svg
    root = ET.fromstring(svg)  # still well-formed XML
    assert root.find(f"{NS}title").text == '<script>alert("t")</script>'


def test_an_empty_chart_says_so_instead_of_failing():
    svg = draw(series=[], x_labels=[])
    assert ET.fromstring(svg).get("role") == "img"
