"""The funding gap's charts: one Vega-Lite spec per chart built from `services.gap.funding_gap`,
rendered to SVG on the server through `core.charts.render_svg` (the reader's language, right to
left in Arabic), each with its data table and the keys of the summary its JSON twin holds.

Charts draw whole units of the base currency (Vega-Lite takes numbers, and the money stays
Decimal up to here); the tables beside them show the exact amounts, to the cent.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mineaction.core.charts import Chart, Column, is_rtl

WIDTH = 560
HEIGHT = 280
BAR_STEP = 14  # height of one bar of the donors chart, in pixels
MOST_DONORS = 15  # donors drawn; the table lists every one
# Okabe and Ito colours, told apart by colour-blind readers; each series is also labelled.
MEASURE_COLOURS = ["#999999", "#E69F00", "#56B4E9", "#0072B2"]
GAP_COLOURS = ["#D55E00", "#009E73"]

# The summary keys each chart draws: what its JSON twin (`?format=json&chart=<key>`) holds.
SUMMARY_KEYS = {
    "by_year": ("years", "totals"),
    "gap_by_year": ("years",),
    "by_donor": ("donors",),
}


def money_text(value):
    """An amount to the cent with the language's separators (— when there is none)."""
    if value is None:
        return "—"
    return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def whole(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def measure_labels():
    return {
        "requirement": _("Requirement"),
        "pledged": _("Pledged"),
        "committed": _("Committed"),
        "disbursed": pgettext("funding", "Disbursed"),
    }


def _spec(title, data, **chart):
    return {
        "title": {"text": title},
        "description": _("%(title)s. The figures are in the table below the chart.")
        % {"title": title},
        "width": WIDTH,
        "height": HEIGHT,
        "data": {"values": data},
        **chart,
    }


def _money_axis(field, title, **extra):
    return {
        "field": field,
        "type": "quantitative",
        "title": title,
        "axis": {"format": ",d", "orient": "right" if is_rtl() else "left"},
        **extra,
    }


def _year_axis(years):
    return {
        "field": "year",
        "type": "ordinal",
        "title": _("Year"),
        "sort": years,
        "scale": {"reverse": is_rtl()},
        "axis": {"labelAngle": 0},
    }


def _currency_title(base_currency):
    return _("Amount (%(currency)s)") % {"currency": base_currency}


def by_year(gap):
    """Requirement, pledged, committed and disbursed per year, side by side."""
    title = _("Requirement, pledges and disbursements per year")
    labels = measure_labels()
    order = [str(label) for label in labels.values()]
    years = [str(row["year"]) for row in gap["years"]]
    data = [
        {"year": str(row["year"]), "series": str(labels[measure]), "amount": whole(row[measure])}
        for row in gap["years"]
        for measure in labels
    ]
    spec = _spec(
        title,
        data,
        mark={"type": "bar"},
        encoding={
            "x": _year_axis(years),
            "xOffset": {"field": "series", "sort": order, "scale": {"reverse": is_rtl()}},
            "y": _money_axis("amount", _currency_title(gap["base_currency"])),
            "color": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "sort": order,
                "scale": {"domain": order, "range": MEASURE_COLOURS},
            },
        },
    )
    return Chart(
        key="by_year",
        title=title,
        spec=spec,
        columns=[Column(_("Year"))]
        + [Column(str(label), numeric=True) for label in labels.values()],
        rows=[
            [str(row["year"]), *[money_text(row[measure]) for measure in labels]]
            for row in gap["years"]
        ],
    )


def gap_by_year(gap):
    """The gap per year: requirement minus pledged (below zero, more pledged than needed)."""
    title = _("Funding gap per year")
    short, surplus = _("Gap"), _("More pledged than needed")
    years = [str(row["year"]) for row in gap["years"]]
    data = [
        {
            "year": str(row["year"]),
            "gap": whole(row["gap"]),
            "kind": str(short if row["gap"] >= 0 else surplus),
        }
        for row in gap["years"]
    ]
    spec = _spec(
        title,
        data,
        mark={"type": "bar"},
        encoding={
            "x": _year_axis(years),
            "y": _money_axis("gap", _currency_title(gap["base_currency"])),
            "color": {
                "field": "kind",
                "type": "nominal",
                "title": None,
                "sort": [str(short), str(surplus)],
                "scale": {"domain": [str(short), str(surplus)], "range": GAP_COLOURS},
            },
        },
    )
    return Chart(
        key="gap_by_year",
        title=title,
        spec=spec,
        columns=[
            Column(_("Year")),
            Column(_("Requirement"), numeric=True),
            Column(_("Pledged"), numeric=True),
            Column(_("Gap"), numeric=True),
        ],
        rows=[
            [
                str(row["year"]),
                money_text(row["requirement"]),
                money_text(row["pledged"]),
                money_text(row["gap"]),
            ]
            for row in gap["years"]
        ],
    )


def by_donor(gap):
    """Pledged, committed and disbursed over the period per donor, the largest first."""
    title = _("Pledged, committed and disbursed by donor")
    labels = measure_labels()
    measures = ["pledged", "committed", "disbursed"]
    order = [str(labels[measure]) for measure in measures]
    drawn = gap["donors"][:MOST_DONORS]
    names = [row["donor"].name for row in drawn]
    data = [
        {
            "donor": row["donor"].name,
            "series": str(labels[measure]),
            "amount": whole(row["total"][measure]),
        }
        for row in drawn
        for measure in measures
    ]
    spec = _spec(
        title,
        data,
        mark={"type": "bar"},
        encoding={
            "y": {
                "field": "donor",
                "type": "nominal",
                "title": _("Donor"),
                "sort": names,
                "axis": {"orient": "right" if is_rtl() else "left"},
            },
            "yOffset": {"field": "series", "sort": order},
            "x": {
                "field": "amount",
                "type": "quantitative",
                "title": _currency_title(gap["base_currency"]),
                "scale": {"reverse": is_rtl()},
                "axis": {"format": ",d"},
            },
            "color": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "sort": order,
                "scale": {"domain": order, "range": MEASURE_COLOURS[1:]},
            },
        },
    )
    spec["height"] = {"step": BAR_STEP * len(measures)}
    note = ""
    if len(gap["donors"]) > MOST_DONORS:
        note = _(
            "The chart shows the %(count)s donors who pledged most; the table lists all of them."
        ) % {"count": MOST_DONORS}
    return Chart(
        key="by_donor",
        title=title,
        spec=spec,
        columns=[Column(_("Donor"))] + [Column(str(labels[m]), numeric=True) for m in measures],
        rows=[
            [row["donor"].name, *[money_text(row["total"][m]) for m in measures]]
            for row in gap["donors"]
        ],
        note=note,
    )


def gap_charts(gap):
    charts = [by_year(gap), gap_by_year(gap)]
    if gap["donors"]:
        charts.append(by_donor(gap))
    return charts
