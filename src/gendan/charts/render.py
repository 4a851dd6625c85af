"""The one way to draw a chart: pygal with the workbench's style, made accessible and stable."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

SVG_NS = "http://www.w3.org/2000/svg"
FONT = 'system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Gendan CJK", sans-serif'
PALETTE = ("#0b6bcb", "#b35900", "#1a7f37", "#c62828", "#6b4fbb", "#00838f", "#616e7c", "#ad1457")

STYLE = Style(
    font_family=FONT,
    background="transparent",
    plot_background="#ffffff",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#d9dee3",
    opacity=".9",
    opacity_hover="1",
    colors=PALETTE,
    title_font_size=15,
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=12,
    value_font_size=11,
)


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int | float | None]


def bar(**kwargs: Any) -> SafeString:
    return _draw(pygal.Bar, **kwargs)


def stacked_bar(**kwargs: Any) -> SafeString:
    return _draw(pygal.StackedBar, **kwargs)


def line(**kwargs: Any) -> SafeString:
    return _draw(pygal.Line, **kwargs)


def _draw(
    kind: Callable[..., Any],
    *,
    title: Any,
    description: Any,
    x_labels: Sequence[str],
    series: Sequence[Series],
    x_title: Any = "",
    y_title: Any = "",
    width: int = 800,
    height: int = 320,
    integers: bool = True,
) -> SafeString:
    title, description = str(title), str(description)
    x_title, y_title = str(x_title), str(y_title)
    chart = kind(
        style=STYLE,
        width=width,
        height=height,
        title=title,
        x_title=x_title or None,
        y_title=y_title or None,
        js=[],  # no script: the page needs none, and nothing is fetched from elsewhere
        disable_xml_declaration=True,
        explicit_size=False,  # scales with its container (viewBox), so it fits a phone
        legend_at_bottom=True,
        legend_at_bottom_columns=min(max(len(series), 1), 4),
        truncate_legend=-1,
        truncate_label=-1,
        x_label_rotation=-45 if len(x_labels) > 12 else 0,
        show_minor_x_labels=len(x_labels) <= 16,
        x_labels_major_every=max(1, len(x_labels) // 8),
        min_scale=2,
        max_scale=6,
        value_formatter=(lambda v: f"{v:,.0f}") if integers else (lambda v: f"{v:,.2f}"),
        print_values=False,
        no_data_text="—",
        classes=["chart"],
    )
    chart.x_labels = [str(label) for label in x_labels]
    for s in series:
        chart.add(str(s.label), list(s.values))
    data = json.dumps(
        [kind.__name__, title, description, x_title, y_title, width, height, list(chart.x_labels)]
        + [[str(s.label), list(s.values)] for s in series],
        default=str,
        ensure_ascii=False,
    )
    chart.uuid = hashlib.sha256(data.encode()).hexdigest()[:16]
    ident = f"chart-{chart.uuid}"
    chart.add_xml_filter(lambda root: _accessible(root, ident, title, description))
    return mark_safe(ET.tostring(chart.render_tree(), encoding="unicode"))


def _accessible(root: ET.Element, ident: str, title: str, description: str) -> ET.Element:
    """role="img" with its title and description named; pygal's generator comments and its
    config script removed (a page's Content-Security-Policy need not allow inline scripts)."""
    for parent in [root, *root.iter()]:
        for child in list(parent):
            if child.tag is ET.Comment or child.tag in ("script", f"{{{SVG_NS}}}script"):
                parent.remove(child)
    title_node = next(n for n in root if n.tag in ("title", f"{{{SVG_NS}}}title"))
    title_node.text = title
    title_node.set("id", f"{ident}-title")
    desc = ET.Element("desc", {"id": f"{ident}-desc"})
    desc.text = description
    root.insert(list(root).index(title_node) + 1, desc)
    root.set("role", "img")
    root.set("aria-labelledby", f"{ident}-title {ident}-desc")
    return root
