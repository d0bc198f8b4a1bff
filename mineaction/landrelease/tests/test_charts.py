"""The Article 5 charts: SVG drawn on the server in the reader's language, right to left in
Arabic, with the bundled fonts, accessible, and never carrying active content."""

import datetime
import io
import re
from xml.etree import ElementTree

import pytest
import vl_convert
from django.utils import translation
from django.utils.translation import gettext
from fontTools.ttLib import TTFont
from PIL import Image

from mineaction.core import charts as core_charts
from mineaction.core.fonts import font_files
from mineaction.landrelease import charts
from mineaction.landrelease.models import HazardStatus

SVG = "{http://www.w3.org/2000/svg}"

RELEASED_BY_YEAR = [
    {"year": 2021, "cancelled_m2": 0, "reduced_m2": 0, "cleared_m2": 10_000, "total_m2": 10_000},
    {
        "year": 2022,
        "cancelled_m2": 30_000,
        "reduced_m2": 20_000,
        "cleared_m2": 0,
        "total_m2": 50_000,
    },
    {"year": 2023, "cancelled_m2": 0, "reduced_m2": 0, "cleared_m2": 10_000, "total_m2": 10_000},
]


def summary_for_burn_down():
    return {
        "as_of": datetime.date(2024, 6, 30),
        "remaining_area_m2": 75_000,
        "deadline": {"date": datetime.date(2026, 3, 1), "days_left": 609, "extension_count": 1},
        "forecast": {
            "rate_m2_per_year": 23_333,
            "rate_low_m2_per_year": 10_000,
            "rate_high_m2_per_year": 50_000,
            "basis_years": [2021, 2022, 2023],
            "completion_date": datetime.date(2027, 9, 16),
            "completion_earliest": datetime.date(2026, 1, 7),
            "completion_latest": datetime.date(2031, 12, 30),
            "meets_deadline": False,
            "scenario": {
                "capacity_change_percent": 50,
                "rate_m2_per_year": 35_000,
                "completion_date": datetime.date(2026, 8, 21),
                "meets_deadline": False,
            },
        },
    }


SERIES = [(datetime.date(2022, 12, 31), 110_000), (datetime.date(2023, 12, 31), 80_000)]


def svg_in(language, build):
    with translation.override(language):
        return str(build().svg)


def texts(svg, role):
    """[(x, text)] of the text marks in the groups of class `role` (e.g. "role-title-text")."""
    root = ElementTree.fromstring(svg)
    found = []
    for group in root.iter(f"{SVG}g"):
        if role in group.get("class", "").split():
            for text in group.iter(f"{SVG}text"):
                x = float(re.match(r"translate\(([-\d.]+)", text.get("transform")).group(1))
                found.append((x, text.text, text.get("text-anchor")))
    return found


def x_axis_labels(svg):
    """The labels of the x axis, left to right, with their x position."""
    root = ElementTree.fromstring(svg)
    for group in root.iter(f"{SVG}g"):
        if group.get("aria-label", "").startswith("X-axis"):
            labels = []
            for inner in group.iter(f"{SVG}g"):
                if "role-axis-label" in inner.get("class", ""):
                    for text in inner.iter(f"{SVG}text"):
                        x = float(re.match(r"translate\(([-\d.]+)", text.get("transform")).group(1))
                        labels.append((x, text.text))
            return sorted(labels)
    raise AssertionError("no x axis")


def y_axis_offset(svg):
    """The x position of the y axis group: 0 when it stands on the left."""
    root = ElementTree.fromstring(svg)
    for group in root.iter(f"{SVG}g"):
        if group.get("aria-label", "").startswith("Y-axis"):
            inner = group.find(f"{SVG}g")
            return float(re.match(r"translate\(([-\d.]+)", inner.get("transform")).group(1))
    raise AssertionError("no y axis")


def test_chart_titles_and_axes_are_translated_in_french():
    with translation.override("fr"):
        chart = charts.released_by_year(RELEASED_BY_YEAR)
        svg = str(chart.svg)
        title = gettext("Land released per year by method")
    assert f">{title}</text>" in svg
    assert ">Année</text>" in svg  # the x axis title
    # Axis labels group digits like the table: "50 000" with a no-break space.
    assert ">50\xa0000</text>" in svg
    assert chart.rows[1] == ["2022", "30\xa0000", "20\xa0000", "0", "50\xa0000"]


def test_status_chart_shows_the_status_labels_in_the_active_language():
    with translation.override("fr"):
        rows = [
            {"status": status, "label": str(label), "count": 2, "remaining_m2": 75_000}
            for status, label in HazardStatus.choices
        ]
        svg = str(charts.remaining_by_status(rows).svg)
        status_title = gettext("Status")
    assert ">Ouvert</text>" in svg
    assert f">{status_title}</text>" in svg


def test_burn_down_speaks_arabic_with_the_deadline_label():
    with translation.override("ar"):
        svg = str(charts.burn_down(SERIES, summary_for_burn_down()).svg)
        title = gettext("Remaining area over time and forecast completion")
    assert ">الموعد النهائي المحدد بموجب المادة 5</text>" in svg
    assert ">السنة</text>" in svg
    assert f">{title}</text>" in svg
    assert "\u066c000<" in svg  # thousands grouped with the Arabic separator


def test_years_run_from_the_right_in_arabic():
    english = x_axis_labels(svg_in("en", lambda: charts.released_by_year(RELEASED_BY_YEAR)))
    arabic = x_axis_labels(svg_in("ar", lambda: charts.released_by_year(RELEASED_BY_YEAR)))
    assert [label for _x, label in english] == ["2021", "2022", "2023"]
    assert [label for _x, label in arabic] == ["2023", "2022", "2021"]


def test_time_axis_of_the_burn_down_runs_from_the_right_in_arabic():
    def build():
        return charts.burn_down(SERIES, summary_for_burn_down())

    english = [label for _x, label in x_axis_labels(svg_in("en", build))]
    arabic = [label for _x, label in x_axis_labels(svg_in("ar", build))]
    assert english[0] < english[-1]
    assert arabic == list(reversed(english))


def test_value_axis_stands_on_the_right_and_titles_are_right_aligned_in_arabic():
    def build():
        return charts.released_by_year(RELEASED_BY_YEAR)

    english, arabic = svg_in("en", build), svg_in("ar", build)
    assert y_axis_offset(english) < 1
    assert y_axis_offset(arabic) >= charts.WIDTH - 1
    [(_x, _text, english_anchor)] = texts(english, "role-title-text")
    [(_x, _text, arabic_anchor)] = texts(arabic, "role-title-text")
    assert (english_anchor, arabic_anchor) == ("start", "end")


def test_horizontal_bars_grow_from_the_right_in_arabic():
    rows = [
        {
            "name": "North",
            "code": "PR01",
            "remaining_m2": 80_000,
            "sha_m2": 0,
            "cha_m2": 80_000,
            "hazard_count": 1,
            "public_id": None,
            "level": 1,
        },
    ]
    english = svg_in("en", lambda: charts.remaining_by_admin_area(rows))
    arabic = svg_in("ar", lambda: charts.remaining_by_admin_area(rows))
    english_zero = [x for x, label in x_axis_labels(english) if label == "0"]
    arabic_zero = [x for x, label in x_axis_labels(arabic) if label == "0"]
    assert english_zero[0] < 1
    assert arabic_zero[0] > charts.WIDTH - 1


def ink(svg):
    """How many dark pixels the SVG draws, rendered with vl-convert's fonts."""
    image = Image.open(io.BytesIO(vl_convert.svg_to_png(svg))).convert("L")
    return sum(1 for value in image.get_flattened_data() if value < 128)


def title_only(title):
    return {
        "title": {"text": title, "fontSize": 30},
        "width": 10,
        "height": 10,
        "data": {"values": []},
        "mark": "point",
    }


@pytest.mark.parametrize(
    ("language", "title"), [("ar", "الأرض المتبقية"), ("zh-hans", "剩余面积"), ("ru", "Остаток")]
)
def test_arabic_chinese_and_cyrillic_glyphs_are_drawn(language, title):
    with translation.override(language):
        blank = ink(str(charts.render_svg(title_only(""))))
        drawn = ink(str(charts.render_svg(title_only(title))))
    assert drawn - blank > 150


@pytest.mark.parametrize(
    ("language", "sample"), [("ar", "الموعد النهائي"), ("zh-hans", "剩余面积"), ("en", "Année")]
)
def test_the_bundled_font_of_each_language_has_its_glyphs(language, sample):
    family = core_charts.FONTS.get(language, core_charts.DEFAULT_FONT).split(",")[0]
    fonts = {}
    for path in font_files().values():
        font = TTFont(str(path), lazy=True)
        names = font["name"]
        fonts[names.getDebugName(16) or names.getDebugName(1)] = font
    cmap = fonts[family].getBestCmap()
    assert [char for char in sample.replace(" ", "") if ord(char) not in cmap] == []
    with translation.override(language):
        svg = str(charts.released_by_year(RELEASED_BY_YEAR).svg)
    assert f'font-family="{core_charts.FONTS.get(language, core_charts.DEFAULT_FONT)}"' in svg


def test_chart_is_one_image_named_by_its_title():
    with translation.override("en"):
        svg = str(charts.remaining_by_type({"SHA": 15_000, "CHA": 60_000}).svg)
    label = (
        "Remaining area by type of hazardous area. The figures are in the table below the chart."
    )
    assert svg.startswith(
        f'<svg role="img" aria-label="{label}" focusable="false" direction="ltr" '
    )
    assert f"<title>{label}</title>" in svg


def test_labels_from_the_data_cannot_inject_markup():
    rows = [
        {
            "name": '<script>alert(1)</script>" onload="alert(2)',
            "code": "X<1>",
            "level": 1,
            "remaining_m2": 10,
            "sha_m2": 10,
            "cha_m2": 0,
            "hazard_count": 1,
            "public_id": None,
        },
    ]
    with translation.override("en"):
        svg = str(charts.remaining_by_admin_area(rows).svg)
    assert "<script" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    charts.check_svg(svg)


SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


@pytest.mark.parametrize(
    "svg",
    [
        f"{SVG_OPEN}><script>alert(1)</script></svg>",
        f'{SVG_OPEN} onload="alert(1)"></svg>',
        f"{SVG_OPEN}><foreignObject><p>x</p></foreignObject></svg>",
        f'{SVG_OPEN}><a href="https://example.org"><text>x</text></a></svg>',
        f'{SVG_OPEN}><g xlink:href="#a"/></svg>',
        f'{SVG_OPEN}><rect style="fill:red"/></svg>',
        f'{SVG_OPEN}><rect fill="url(javascript:alert(1))"/></svg>',
        "<html><body>not a chart</body></html>",
        "<svg><unclosed></svg>",
    ],
)
def test_unsafe_markup_is_refused(svg):
    with pytest.raises(charts.UnsafeChartError):
        charts.check_svg(svg)


def test_external_data_is_never_fetched():
    spec = {"data": {"url": "https://example.org/hazards.json"}, "mark": "bar"}
    with pytest.raises(ValueError, match="External data url not allowed"):
        charts.render_svg(spec)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "1,234,567"),
        ("fr", "1\xa0234\xa0567"),
        ("ar", "1\u066c234\u066c567"),
        ("zh-hans", "1,234,567"),
        ("ru", "1\xa0234\xa0567"),
    ],
)
def test_numbers_are_grouped_in_every_language(language, expected):
    with translation.override(language):
        assert charts.format_number(1_234_567) == expected
        assert charts.number_locale()["thousands"] == expected[1]


def test_admin_area_chart_draws_the_most_affected_and_the_table_lists_all():
    rows = [
        {
            "name": f"Area {number:02d}",
            "code": f"A{number:02d}",
            "level": 2,
            "remaining_m2": number * 1000,
            "sha_m2": 0,
            "cha_m2": number * 1000,
            "hazard_count": 1,
            "public_id": None,
        }
        for number in range(1, 26)
    ]
    with translation.override("en"):
        chart = charts.remaining_by_admin_area(rows)
        svg = str(chart.svg)
    assert len(chart.rows) == 25
    assert chart.rows[0][0] == "Area 25"
    assert "Area 25 (A25)" in svg
    assert "Area 06 (A06)" in svg
    assert "Area 05 (A05)" not in svg
    assert chart.note == (
        "The chart shows the 20 admin areas with the most remaining area; the table lists all "
        "of them."
    )


def test_burn_down_without_a_rate_draws_the_record_and_the_deadline_only():
    summary = summary_for_burn_down()
    summary["forecast"].update(
        completion_date=None,
        completion_earliest=None,
        completion_latest=None,
        rate_low_m2_per_year=0,
        meets_deadline=None,
        scenario=None,
    )
    with translation.override("en"):
        chart = charts.burn_down(SERIES, summary)
        svg = str(chart.svg)
    assert [row[2] for row in chart.rows] == ["Recorded", "Recorded", "Article 5 deadline"]
    assert ">Article 5 deadline</text>" in svg
    assert "mark-area" not in svg
