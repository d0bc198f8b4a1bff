"""Property-based tests of the importers: random valid rows come back exactly as they were;
one random bad cell is reported on its row and line, and nothing is written."""

import datetime
import decimal
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mineaction.landrelease.importers import run_import, values
from mineaction.landrelease.models import DeviceCategory, HazardArea
from mineaction.landrelease.tests import factories, gisfiles

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Letters of several scripts, digits, punctuation a CSV must quote (comma, semicolon, quote).
NAME_ALPHABET = st.characters(
    categories=["L", "N", "P", "Zs"], exclude_characters="\u2028\u2029\x85", max_codepoint=0x3000
)
DATES = st.dates(datetime.date(1990, 1, 1), datetime.date(2024, 12, 31))


@st.composite
def hazard_rows(draw):
    count = draw(st.integers(1, 6))
    numbers = draw(st.lists(st.integers(0, 9999), min_size=count, max_size=count, unique=True))
    rows = []
    for number in numbers:
        recorded = draw(DATES)
        status = draw(st.sampled_from(["open", "closed", "handed_over"]))
        closed_on = (
            None if status == "open" else draw(st.dates(recorded, datetime.date(2025, 1, 1)))
        )
        rows.append(
            {
                "external_id": f"HA-{number:04d}",
                "type": draw(st.sampled_from(["SHA", "CHA"])),
                "status": status,
                "closed_on": closed_on,
                "date_recorded": recorded,
                "area_m2": draw(st.integers(1, 10**10)),
                "device_categories": ";".join(
                    draw(st.lists(st.sampled_from(DeviceCategory.values), unique=True))
                ),
                "name": " ".join(draw(st.text(NAME_ALPHABET, max_size=40)).split()),
            }
        )
    return rows


def written(rows, file_format, delimiter):
    folder = Path(tempfile.mkdtemp())
    if file_format == "xlsx":
        return gisfiles.write_xlsx(folder / "hazards.xlsx", rows)
    return gisfiles.write_csv(
        folder / "hazards.csv", rows, delimiter=delimiter, bom=delimiter == ";"
    )


def stored_rows():
    return [
        {
            "external_id": hazard.external_id,
            "type": hazard.hazard_type,
            "status": hazard.status,
            "closed_on": hazard.closed_on,
            "date_recorded": hazard.date_recorded,
            "area_m2": hazard.recorded_area_m2,
            "devices": hazard.device_list,
            "name": hazard.name,
        }
        for hazard in HazardArea.objects.order_by("external_id")
    ]


def expected_rows(rows):
    order = {code: position for position, code in enumerate(DeviceCategory.values)}
    return sorted(
        (
            {
                "external_id": row["external_id"],
                "type": row["type"],
                "status": row["status"],
                "closed_on": row["closed_on"],
                "date_recorded": row["date_recorded"],
                "area_m2": row["area_m2"],
                "devices": sorted(filter(None, row["device_categories"].split(";")), key=order.get),
                "name": row["name"],
            }
            for row in rows
        ),
        key=lambda row: row["external_id"],
    )


@EXAMPLES
@given(
    rows=hazard_rows(),
    file_format=st.sampled_from(["csv", "xlsx"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_valid_rows_import_to_exactly_their_values(rows, file_format, delimiter):
    HazardArea.objects.all().delete()

    report = run_import("hazards", written(rows, file_format, delimiter))

    assert report.errors == []
    assert report.created == len(rows)
    assert stored_rows() == expected_rows(rows)


CORRUPTIONS = {
    "external_id": ["", "   "],
    "type": ["hazard", "SHA/CHA", "0"],
    "date_recorded": ["2021-02-29", "13/13/2013", "yesterday", "2099-01-01", ""],
    "area_m2": ["-1", "0", "1,5", "ten", "-0.7"],
    "device_categories": ["mines and more", "uxo|grenade"],
    "status": ["done", "shut"],
}


@EXAMPLES
@given(
    rows=hazard_rows(),
    file_format=st.sampled_from(["csv", "xlsx"]),
    data=st.data(),
)
def test_one_bad_cell_is_reported_on_its_line_and_nothing_is_written(rows, file_format, data):
    HazardArea.objects.all().delete()
    factories.make_hazard("HA-STORED")
    before = gisfiles.database_snapshot()
    index = data.draw(st.integers(0, len(rows) - 1), label="row")
    column = data.draw(st.sampled_from(sorted(CORRUPTIONS)), label="column")
    rows[index][column] = data.draw(st.sampled_from(CORRUPTIONS[column]), label="value")
    if column == "status":
        rows[index]["closed_on"] = None

    report = run_import("hazards", written(rows, file_format, ","))

    assert [(issue.line, issue.column) for issue in report.errors] == [(index + 2, column)]
    assert gisfiles.database_snapshot() == before


@given(DATES, st.sampled_from(["{:%Y-%m-%d}", "{:%d/%m/%Y}", "{:%d.%m.%Y}", "{:%Y/%m/%d}"]))
def test_every_documented_date_form_reads_as_the_same_date(date, form):
    assert values.date(form.format(date)) == date


@given(st.decimals(min_value=0, max_value=10**12, places=3, allow_nan=False))
def test_areas_are_rounded_half_up_to_whole_square_metres(area):
    rounded = int(area.quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP))
    if rounded == 0:
        with pytest.raises(values.CellError):
            values.area_m2(str(area))
    else:
        assert values.area_m2(str(area)) == rounded
        assert values.area_m2(float(area)) == int(
            decimal.Decimal(repr(float(area))).quantize(
                decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP
            )
        )
