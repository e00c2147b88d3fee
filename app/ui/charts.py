"""Small QtCharts builders for the statistics page: a stacked bar chart and a pie chart, styled alike.

Only presentation: the numbers come from ``app.reports.statistics``. Colours follow the risk palette used in the
tables (high red, medium amber, low green) so a severity reads the same everywhere.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QWidget

SEVERITY_COLOURS = {"高": QColor(204, 60, 60), "中": QColor(230, 160, 40), "低": QColor(90, 160, 90)}
MODULE_COLOUR = QColor(70, 110, 170)
STATUS_COLOURS = (QColor(70, 150, 90), QColor(90, 130, 200), QColor(230, 160, 40), QColor(204, 60, 60))


def _base_chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setPointSizeF(font.pointSizeF() + 1)
    font.setBold(True)
    chart.setTitleFont(font)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(4)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def _wrapped(label: str, width: int = 30) -> str:
    """A long axis label on two or three lines (QtCharts draws ``<br>`` as a line break) instead of cut short:
    English titles break between words, Chinese ones after about seven characters."""
    if " " in label:
        lines: list[str] = []
        for word in label.split():
            if lines and len(lines[-1]) + 1 + len(word) <= width:
                lines[-1] += " " + word
            else:
                lines.append(word)
    else:
        step = 7
        lines = [label[start : start + step] for start in range(0, len(label), step)]
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def chart_view(chart: QChart, parent: QWidget | None = None) -> QChartView:
    view = QChartView(chart, parent)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(220)
    return view


def stacked_bars(
    title: str,
    categories: Sequence[str],
    stacks: Sequence[tuple[str, Sequence[int], QColor | None]],
) -> QChart:
    """Horizontal stacked bars: one bar per category, one coloured segment per stack (label, values, colour)."""
    chart = _base_chart(title)
    series = QHorizontalStackedBarSeries()
    for label, values, colour in stacks:
        bar_set = QBarSet(label)
        bar_set.append([float(v) for v in values])
        if colour is not None:
            bar_set.setColor(colour)
            bar_set.setBorderColor(colour)
        series.append(bar_set)
    series.setBarWidth(0.7)
    series.setLabelsVisible(True)
    chart.legend().setVisible(len(stacks) > 1)
    chart.addSeries(series)
    axis_y = QBarCategoryAxis()
    axis_y.append([_wrapped(label) for label in categories])
    axis_y.setTruncateLabels(False)
    font = axis_y.labelsFont()
    font.setPointSizeF(max(font.pointSizeF() - 1.5, 7))  # two lines per module title fit the bar height
    axis_y.setLabelsFont(font)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_y)
    axis_x = QValueAxis()
    top = max((sum(values[i] for _, values, _ in stacks) for i in range(len(categories))), default=0)
    axis_x.setRange(0, max(top, 1))
    axis_x.setLabelFormat("%d")
    axis_x.setTickCount(min(max(top, 1), 5) + 1)
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_x)
    return chart


def pie(title: str, slices: Sequence[tuple[str, int, QColor | None]]) -> QChart:
    """A pie of (label, value, colour); empty slices are left out, labels carry the count."""
    chart = _base_chart(title)
    series = QPieSeries()
    for label, value, colour in slices:
        if value <= 0:
            continue
        piece = series.append(f"{label} {value}", float(value))
        if colour is not None:
            piece.setColor(colour)
    series.setPieSize(0.78)
    chart.addSeries(series)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart
