"""The Article 5 charts: one Vega-Lite spec per chart, built from the lists of
`services.progress.summary`, rendered to SVG on the server by vl-convert (no JavaScript in the
browser, nothing fetched from elsewhere).

Every chart speaks the reader's language: its titles and labels are translated, its numbers
carry the same separators as the tables beside it (`format_number`), and in Arabic it reads
right to left (categories and years run from the right, the value axis stands on the right,
titles are right-aligned). Glyphs come from the PyPI font packages the PDF documents use, so
Arabic and Chinese render the same on every server.

Each chart comes with its data table (`Chart.columns` and `Chart.rows`, already formatted) and
the summary keys its JSON twin holds (`Chart.summary_keys`).
"""

import datetime
import json

from django.utils import formats
from django.utils.translation import gettext as _

from mineaction.core import charts as core_charts
from mineaction.core.charts import (  # noqa: F401
    Column,  # noqa: F401 (the chart helpers, used by views and tests)
    UnsafeChartError,
    accessible_svg,
    check_svg,
    format_number,
    is_rtl,
    number_locale,
    render_svg,
    thousands_separator,
)
from mineaction.landrelease.models import DeviceCategory, HazardType, ReleaseMethod

WIDTH = 560
HEIGHT = 280
BAR_STEP = 24  # height of one bar of a horizontal bar chart, in pixels
# The admin areas drawn; the table beside the chart lists every one.
MOST_AFFECTED_AREAS = 20

# Colours that colour-blind readers can tell apart (Okabe and Ito); every series also has a
# label in the legend and the table, so no figure is told by its colour alone.
TYPE_COLOURS = {HazardType.SHA: "#E69F00", HazardType.CHA: "#D55E00"}
METHOD_COLOURS = {
    ReleaseMethod.CANCELLED: "#56B4E9",
    ReleaseMethod.REDUCED: "#009E73",
    ReleaseMethod.CLEARED: "#0072B2",
}
BAR_COLOUR = "#0072B2"
PLANNED_COLOUR = "#999999"
FORECAST_COLOURS = ["#0072B2", "#0072B2", "#D55E00"]
RANGE_COLOUR = "#56B4E9"
DEADLINE_COLOUR = "#A4161A"

# The summary keys each chart draws: what its JSON twin (`progress.json?chart=<key>`) holds.
SUMMARY_KEYS = {
    "remaining_by_type": ("remaining_area_m2", "remaining_by_type"),
    "hazards_by_status": ("hazards_by_status",),
    "remaining_by_admin_area": ("remaining_by_admin_area",),
    "released_by_year": ("released_by_year",),
    "milestones": ("milestones",),
    "devices_destroyed": ("devices_destroyed",),
    "forecast": ("remaining_area_m2", "deadline", "forecast"),
}


# Chart and table -------------------------------------------------------------------------------


class Chart(core_charts.Chart):
    """An Article 5 chart: the summary keys its JSON twin holds follow from its key."""

    @property
    def summary_keys(self):
        return SUMMARY_KEYS[self.key]


def _spec(title, description, data, **chart):
    return {
        "title": {"text": title},
        "description": description,
        "width": WIDTH,
        "height": HEIGHT,
        "data": {"values": data},
        **chart,
    }


def _description(title):
    return _("%(title)s. The figures are in the table below the chart.") % {"title": title}


def _category_axis(field, title, order, **extra):
    """A category or year axis: read from the right in a right-to-left language."""
    return {
        "field": field,
        "type": "ordinal",
        "title": title,
        "sort": order,
        "scale": {"reverse": is_rtl()},
        "axis": {"labelAngle": 0, **extra},
    }


def _value_axis(field, title, *, stack=None, fmt=",d"):
    """The axis of areas or counts: on the right in a right-to-left language."""
    axis = {"format": fmt, "tickMinStep": 1, "orient": "right" if is_rtl() else "left"}
    encoding = {"field": field, "type": "quantitative", "title": title, "axis": axis}
    if stack is not None:
        encoding["stack"] = stack
    return encoding


def _horizontal_value_axis(field, title, **extra):
    """The value axis of horizontal bars: they grow from the right in a right-to-left language."""
    return {
        "field": field,
        "type": "quantitative",
        "title": title,
        "scale": {"reverse": is_rtl()},
        "axis": {"format": ",d", "tickMinStep": 1},
        **extra,
    }


def _horizontal_category_axis(field, title, order):
    return {
        "field": field,
        "type": "nominal",
        "title": title,
        "sort": order,
        "axis": {"orient": "right" if is_rtl() else "left"},
    }


def _colour(field, title, colours, labels):
    """A colour per series, in a fixed order, with its legend."""
    return {
        "field": field,
        "type": "nominal",
        "title": title,
        "sort": labels,
        "scale": {"domain": labels, "range": colours},
    }


def area_title():
    return _("Remaining area (m²)")


# The charts ------------------------------------------------------------------------------------


def remaining_by_type(remaining_by_type):
    """Remaining area of suspected and confirmed hazardous areas."""
    title = _("Remaining area by type of hazardous area")
    labels = [str(label) for label in HazardType.labels]
    data = [
        {"label": str(hazard_type.label), "area": remaining_by_type.get(hazard_type.value, 0)}
        for hazard_type in HazardType
    ]
    spec = _spec(
        title,
        _description(title),
        data,
        mark={"type": "bar"},
        encoding={
            "x": _category_axis("label", _("Type"), labels),
            "y": _value_axis("area", area_title()),
            "color": {
                **_colour("label", _("Type"), list(TYPE_COLOURS.values()), labels),
                "legend": None,
            },
        },
    )
    return Chart(
        key="remaining_by_type",
        title=title,
        spec=spec,
        columns=[Column(_("Type")), Column(area_title(), numeric=True)],
        rows=[[row["label"], format_number(row["area"])] for row in data],
    )


def remaining_by_status(hazards_by_status):
    """Hazard areas and their remaining area by status (open, closed, handed over)."""
    title = _("Remaining area by status")
    labels = [str(row["label"]) for row in hazards_by_status]
    data = [{"label": str(row["label"]), "area": row["remaining_m2"]} for row in hazards_by_status]
    spec = _spec(
        title,
        _description(title),
        data,
        mark={"type": "bar", "color": BAR_COLOUR},
        encoding={
            "x": _category_axis("label", _("Status"), labels),
            "y": _value_axis("area", area_title()),
        },
    )
    return Chart(
        key="hazards_by_status",
        title=title,
        spec=spec,
        columns=[
            Column(_("Status")),
            Column(_("Hazard areas"), numeric=True),
            Column(area_title(), numeric=True),
        ],
        rows=[
            [str(row["label"]), format_number(row["count"]), format_number(row["remaining_m2"])]
            for row in hazards_by_status
        ],
    )


def remaining_by_admin_area(rows):
    """Remaining area per admin area, split into SHA and CHA, the most affected first."""
    title = _("Remaining area by admin area")
    ordered = sorted(rows, key=lambda row: (-row["remaining_m2"], row["name"]))
    drawn = ordered[:MOST_AFFECTED_AREAS]
    names = [_area_name(row) for row in drawn]
    type_labels = [str(label) for label in HazardType.labels]
    data = [
        {"area_name": _area_name(row), "type": str(hazard_type.label), "area": row[field]}
        for row in drawn
        for hazard_type, field in ((HazardType.SHA, "sha_m2"), (HazardType.CHA, "cha_m2"))
    ]
    spec = _spec(
        title,
        _description(title),
        data,
        mark={"type": "bar"},
        encoding={
            "y": _horizontal_category_axis("area_name", _("Admin area"), names),
            "x": _horizontal_value_axis("area", area_title(), stack="zero"),
            "color": _colour("type", _("Type"), list(TYPE_COLOURS.values()), type_labels),
            "order": {"field": "type", "sort": "descending"},
        },
    )
    spec["height"] = {"step": BAR_STEP}
    note = ""
    if len(ordered) > MOST_AFFECTED_AREAS:
        note = _(
            "The chart shows the %(count)s admin areas with the most remaining area; the table "
            "lists all of them."
        ) % {"count": MOST_AFFECTED_AREAS}
    return Chart(
        key="remaining_by_admin_area",
        title=title,
        spec=spec,
        columns=[
            Column(_("Admin area")),
            Column(_("Code")),
            Column(_("Open hazard areas"), numeric=True),
            Column(_("SHA (m²)"), numeric=True),
            Column(_("CHA (m²)"), numeric=True),
            Column(area_title(), numeric=True),
        ],
        rows=[
            [
                row["name"],
                row["code"],
                format_number(row["hazard_count"]),
                format_number(row["sha_m2"]),
                format_number(row["cha_m2"]),
                format_number(row["remaining_m2"]),
            ]
            for row in ordered
        ],
        note=note,
    )


def _area_name(row):
    return f"{row['name']} ({row['code']})"


def released_by_year(rows):
    """Land released per year, stacked by method: cancelled, reduced, cleared."""
    title = _("Land released per year by method")
    method_labels = [str(label) for label in ReleaseMethod.labels]
    years = [str(row["year"]) for row in rows]
    data = [
        {"year": str(row["year"]), "method": str(method.label), "area": row[f"{method.value}_m2"]}
        for row in rows
        for method in ReleaseMethod
    ]
    spec = _spec(
        title,
        _description(title),
        data,
        mark={"type": "bar"},
        encoding={
            "x": _category_axis("year", _("Year"), years),
            "y": _value_axis("area", _("Area released (m²)"), stack="zero"),
            "color": _colour("method", _("Method"), list(METHOD_COLOURS.values()), method_labels),
            "order": {"field": "method_order", "type": "quantitative"},
        },
        transform=[
            {
                "calculate": f"indexof({json.dumps(method_labels)}, datum.method)",
                "as": "method_order",
            }
        ],
    )
    return Chart(
        key="released_by_year",
        title=title,
        spec=spec,
        columns=[
            Column(_("Year")),
            *[
                Column(_("%(method)s (m²)") % {"method": label}, numeric=True)
                for label in method_labels
            ],
            Column(_("Total (m²)"), numeric=True),
        ],
        rows=[
            [
                str(row["year"]),
                *[format_number(row[f"{method}_m2"]) for method in ReleaseMethod.values],
                format_number(row["total_m2"]),
            ]
            for row in rows
        ],
    )


def milestone_outcome(met):
    if met is None:
        return _("Year not over")
    return _("Met") if met else _("Not met")


def milestones(rows):
    """The national milestones of the work plan: planned against released, year by year."""
    title = _("Article 5 milestones: planned and achieved")
    planned, achieved = _("Planned"), _("Achieved")
    years = [str(row["year"]) for row in rows]
    data = [
        {"year": str(row["year"]), "series": series, "area": row[field]}
        for row in rows
        for series, field in ((planned, "planned_m2"), (achieved, "actual_m2"))
    ]
    spec = _spec(
        title,
        _description(title),
        data,
        mark={"type": "bar"},
        encoding={
            "x": _category_axis("year", _("Year"), years),
            "xOffset": {
                "field": "series",
                "sort": [planned, achieved],
                "scale": {"reverse": is_rtl()},
            },
            "y": _value_axis("area", _("Area (m²)")),
            "color": _colour("series", None, [PLANNED_COLOUR, BAR_COLOUR], [planned, achieved]),
        },
    )
    return Chart(
        key="milestones",
        title=title,
        spec=spec,
        columns=[
            Column(_("Year")),
            Column(_("Planned (m²)"), numeric=True),
            Column(_("Achieved (m²)"), numeric=True),
            Column(_("Milestone")),
        ],
        rows=[
            [
                str(row["year"]),
                format_number(row["planned_m2"]),
                format_number(row["actual_m2"]),
                milestone_outcome(row["met"]),
            ]
            for row in rows
        ],
    )


def devices_destroyed(rows):
    """Explosive ordnance destroyed during release, by IMAS category."""
    title = _("Devices destroyed by category")
    labels = dict(DeviceCategory.choices)
    data = [
        {"label": str(labels.get(row["category"], row["label"])), "count": row["count"]}
        for row in rows
    ]
    spec = _spec(
        title,
        _description(title),
        data,
        mark={"type": "bar", "color": BAR_COLOUR},
        encoding={
            "y": _horizontal_category_axis("label", _("Category"), [row["label"] for row in data]),
            "x": _horizontal_value_axis("count", _("Devices destroyed")),
        },
    )
    spec["height"] = {"step": BAR_STEP}
    return Chart(
        key="devices_destroyed",
        title=title,
        spec=spec,
        columns=[Column(_("Category")), Column(_("Devices destroyed"), numeric=True)],
        rows=[[row["label"], format_number(row["count"])] for row in data],
    )


def burn_down(series, summary):
    """Remaining area over time, the forecast to completion with its range, the scenario and
    the Article 5 deadline.

    `series` is [(date, remaining m²)] of past dates, the last one the summary's `as_of`.
    """
    title = _("Remaining area over time and forecast completion")
    forecast = summary["forecast"]
    deadline = summary["deadline"]["date"]
    observed, at_rate, scenario_label = (
        _("Recorded"),
        _("Forecast at the observed rate"),
        _("Forecast with the capacity scenario"),
    )
    lines = [{"date": day.isoformat(), "area": area, "series": observed} for day, area in series]
    as_of, remaining = summary["as_of"].isoformat(), summary["remaining_area_m2"]
    if forecast["completion_date"] and remaining:
        lines += _forecast_line(at_rate, as_of, remaining, forecast["completion_date"])
    scenario = forecast.get("scenario")
    if scenario and scenario["completion_date"] and remaining:
        lines += _forecast_line(scenario_label, as_of, remaining, scenario["completion_date"])
    line_labels = [observed, at_rate, scenario_label]
    layers = [
        _forecast_range_layer(forecast, as_of, remaining),
        {
            "data": {"values": lines},
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": _time_axis(),
                "y": _value_axis("area", area_title()),
                "color": {
                    **_colour("series", None, FORECAST_COLOURS, line_labels),
                    "legend": {"symbolType": "stroke", "symbolStrokeWidth": 2, "symbolSize": 300},
                },
                "strokeDash": {
                    "field": "series",
                    "type": "nominal",
                    "sort": line_labels,
                    "title": None,
                    "scale": {"domain": line_labels, "range": [[1, 0], [6, 4], [2, 3]]},
                },
            },
        },
    ]
    if deadline:
        layers += _deadline_layers(deadline)
    spec = {
        "title": {"text": title},
        "description": _description(title),
        "width": WIDTH,
        "height": HEIGHT,
        "layer": [layer for layer in layers if layer],
    }
    return Chart(
        key="forecast",
        title=title,
        spec=spec,
        columns=[Column(_("Date")), Column(area_title(), numeric=True), Column(_("What it is"))],
        rows=_burn_down_rows(series, forecast, deadline, observed),
    )


def _time_axis():
    return {
        "field": "date",
        "type": "temporal",
        "title": _("Year"),
        "scale": {"type": "utc", "reverse": is_rtl()},
        "axis": {"format": "%Y", "formatType": "utc", "tickCount": "year"},
    }


def _forecast_line(label, start, remaining, end):
    return [
        {"date": start, "area": remaining, "series": label},
        {"date": end.isoformat(), "area": 0, "series": label},
    ]


def _forecast_range_layer(forecast, as_of, remaining):
    """The band between completion at the fastest and at the slowest observed rate."""
    earliest, latest = forecast.get("completion_earliest"), forecast.get("completion_latest")
    if not (earliest and latest and remaining and forecast.get("rate_low_m2_per_year")):
        return None
    years = (earliest - datetime.date.fromisoformat(as_of)).days / 365.25
    slow_left = max(0, remaining - forecast["rate_low_m2_per_year"] * years)
    band = [
        {"date": as_of, "high": remaining, "low": remaining},
        {"date": earliest.isoformat(), "high": slow_left, "low": 0},
        {"date": latest.isoformat(), "high": 0, "low": 0},
    ]
    return {
        "data": {"values": band},
        "mark": {"type": "area", "color": RANGE_COLOUR, "opacity": 0.3},
        "encoding": {
            "x": _time_axis(),
            "y": _value_axis("high", area_title()),
            "y2": {"field": "low"},
        },
    }


def _deadline_layers(deadline):
    rtl = is_rtl()
    point = [{"date": deadline.isoformat(), "label": _("Article 5 deadline")}]
    rule = {
        "data": {"values": point},
        "mark": {"type": "rule", "color": DEADLINE_COLOUR, "strokeWidth": 2},
        "encoding": {"x": _time_axis()},
    }
    text = {
        "data": {"values": point},
        "mark": {
            "type": "text",
            "color": DEADLINE_COLOUR,
            "align": "right" if rtl else "left",
            "dx": -4 if rtl else 4,
            "y": 8,
            "fontWeight": "bold",
        },
        "encoding": {"x": _time_axis(), "text": {"field": "label"}},
    }
    return [rule, text]


def _burn_down_rows(series, forecast, deadline, observed):
    rows = [[_date(day), format_number(area), observed] for day, area in series]
    completions = [
        (forecast.get("completion_date"), _("Forecast completion at the observed rate")),
        (forecast.get("completion_earliest"), _("Earliest completion (fastest observed rate)")),
        (forecast.get("completion_latest"), _("Latest completion (slowest observed rate)")),
        (
            (forecast.get("scenario") or {}).get("completion_date"),
            _("Completion with the scenario"),
        ),
    ]
    rows += [[_date(day), format_number(0), label] for day, label in completions if day]
    if deadline:
        rows.append([_date(deadline), "", _("Article 5 deadline")])
    return rows


def _date(day):
    return formats.date_format(day, "DATE_FORMAT")


def dashboard_charts(summary, series):
    """Every chart of the Article 5 dashboard, in the order of the page."""
    return [
        remaining_by_type(summary["remaining_by_type"]),
        remaining_by_status(summary["hazards_by_status"]),
        remaining_by_admin_area(summary["remaining_by_admin_area"]),
        released_by_year(summary["released_by_year"]),
        milestones(summary["milestones"]),
        devices_destroyed(summary["devices_destroyed"]),
        burn_down(series, summary),
    ]
