"""Server-side SVG charts (图表) for pages: bar, line and stacked bar, drawn by pygal.

    from gendan import charts
    svg = charts.stacked_bar(
        title=_("Exports per day"), description=_("Last 30 days, by kind"),
        x_labels=["05-01", "05-02"], series=[charts.Series("订单", [3, 1])],
    )
    # in the template: {{ svg }} (already safe markup)

No JavaScript: pygal's tooltip script is left out; each value is a <desc> of its bar or dot.
The SVG has role="img" and aria-labelledby pointing at its <title> and <desc>; user text (labels,
series names) is escaped by the XML serialiser; the same data give the same bytes (the chart's id
is a hash of its data, pygal's dated comment is removed), so tests can compare output.
"""

from gendan.charts.render import Series, bar, line, stacked_bar

__all__ = ["Series", "bar", "line", "stacked_bar"]
