"""Charts as the platform draws them: a Vega-Lite spec rendered to SVG on the server by
vl-convert (no JavaScript in the browser, nothing fetched from elsewhere), in the reader's
language, with the same number separators as the tables beside it (`format_number`), right to
left in Arabic, and glyphs from the PyPI font packages the PDF documents use, so that Arabic and
Chinese render the same on every server. Every app's charts go through `render_svg`.
"""

import dataclasses
import functools
import json
import re
from xml.etree import ElementTree

import vl_convert
from django.utils import formats, numberformat, translation
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe

from mineaction.core import fonts

FONTS = {
    "ar": "Amiri, Noto Sans, sans-serif",
    "zh-hans": "Noto Sans CJK TC, Noto Sans, sans-serif",
}
DEFAULT_FONT = "Noto Sans, sans-serif"
# Django's formats group no digits in Arabic and Chinese; areas of millions of m² need them.
THOUSANDS_SEPARATORS = {"ar": "\u066c", "zh-hans": ","}

# What an SVG fit for the page never holds: scripts, foreign HTML, links, event handlers.
FORBIDDEN_ELEMENTS = {"script", "foreignObject", "iframe", "object", "embed", "a", "use", "image"}
FORBIDDEN_ATTRIBUTE = re.compile(r"^(on.*|href|.*:href|style)$", re.IGNORECASE)


class UnsafeChartError(ValueError):
    """vl-convert returned markup that may not be placed in a page."""


# Rendering -------------------------------------------------------------------------------------


@functools.cache
def register_fonts():
    # The same fonts as the PDF documents: Noto Sans (Latin, Cyrillic), Amiri, Noto Sans CJK.
    for directory in {path.parent for path in fonts.font_files().values()}:
        vl_convert.register_font_directory(str(directory))


def is_rtl():
    return translation.get_language_bidi()


def thousands_separator():
    separator = formats.get_format("THOUSAND_SEPARATOR")
    if separator and formats.get_format("NUMBER_GROUPING") == 3:
        return separator
    return THOUSANDS_SEPARATORS.get(translation.get_language(), ",")


def format_number(value):
    """A whole number with the active language's thousands separator: `1,234,567`."""
    if value is None:
        return "—"
    return numberformat.format(
        round(value),
        formats.get_format("DECIMAL_SEPARATOR"),
        grouping=3,
        thousand_sep=thousands_separator(),
        force_grouping=True,
    )


def number_locale():
    """The d3-format locale of the axes, so that they group digits like `format_number`."""
    return {
        "decimal": formats.get_format("DECIMAL_SEPARATOR"),
        "thousands": thousands_separator(),
        "grouping": [3],
        "currency": ["", ""],
    }


def chart_config():
    rtl = is_rtl()
    return {
        "font": FONTS.get(translation.get_language(), DEFAULT_FONT),
        "title": {"anchor": "end" if rtl else "start", "fontSize": 14, "offset": 12},
        "axis": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 220},
        "legend": {"orient": "left" if rtl else "right", "labelFontSize": 11, "labelLimit": 260},
        "view": {"stroke": None},
    }


def render_svg(spec):
    """SVG markup of a Vega-Lite spec, in the active language, safe to place in a page.

    The output is checked before it is marked safe: it is refused when it holds a script, an
    event handler or a link, whatever the labels in the data say.
    """
    register_fonts()
    full_spec = {**spec, "config": chart_config()}
    return mark_safe(_render(json.dumps(full_spec, sort_keys=True), json.dumps(number_locale())))


@functools.lru_cache(maxsize=128)
def _render(spec_json, locale_json):
    """vl-convert's SVG, checked and made accessible. Cached per process: the same figures in
    the same language draw the same chart."""
    spec = json.loads(spec_json)
    svg = vl_convert.vegalite_to_svg(
        spec, format_locale=json.loads(locale_json), allowed_base_urls=[]
    )
    check_svg(svg)
    return accessible_svg(svg, spec.get("description") or spec.get("title", {}).get("text", ""))


def check_svg(svg):
    """Raise UnsafeChartError unless `svg` is one well-formed SVG image without active content."""
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError as error:
        raise UnsafeChartError(str(error)) from None
    if _local_name(root.tag) != "svg":
        raise UnsafeChartError(root.tag)
    for element in root.iter():
        if _local_name(element.tag) in FORBIDDEN_ELEMENTS:
            raise UnsafeChartError(element.tag)
        for attribute, value in element.attrib.items():
            if FORBIDDEN_ATTRIBUTE.match(_local_name(attribute)) or "javascript:" in value.lower():
                raise UnsafeChartError(attribute)


def _local_name(tag):
    return tag.rpartition("}")[2]


def accessible_svg(svg, label):
    """The chart as one image for assistive technology, named by its title; its figures are in
    the data table that follows it.

    The layout is already mirrored for right-to-left languages by the spec; `direction="ltr"`
    stops an Arabic page from mirroring the text anchors a second time (each label's Arabic
    words still run right to left)."""
    label = escape(label)
    return re.sub(
        r"^<svg ",
        f'<svg role="img" aria-label="{label}" focusable="false" direction="ltr" ',
        svg,
        count=1,
    ).replace(">", f"><title>{label}</title>", 1)


# Chart and table -------------------------------------------------------------------------------


@dataclasses.dataclass
class Column:
    label: str
    numeric: bool = False


@dataclasses.dataclass
class Chart:
    """A chart (its Vega-Lite spec) with its data table, already formatted, and its JSON twin."""

    key: str
    title: str
    spec: dict
    columns: list
    rows: list
    note: str = ""
    json_url: str = ""

    def cells(self):
        """The table's rows as [(text, numeric)], numeric cells aligned to the end."""
        numeric = [column.numeric for column in self.columns]
        return [list(zip(row, numeric, strict=True)) for row in self.rows]

    @cached_property
    def svg(self):
        return render_svg(self.spec)
