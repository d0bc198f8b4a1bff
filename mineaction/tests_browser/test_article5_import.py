"""Importing Article 5 data in a real Chromium, as the data manager: a GeoPackage of hazard
areas whose id column has another name (mapped by hand, with the preview following), started
with the progress bar and its report; then a broken CSV, refused with its errors by line and
downloaded as CSV. The files are real, written by GDAL (pyogrio) and the csv module."""

import datetime
from pathlib import Path

import pytest
import shapely
from django.urls import reverse
from playwright.sync_api import expect

from mineaction.landrelease.models import HazardArea, ImportJob, ImportMapping
from mineaction.landrelease.tests import gisfiles
from mineaction.tests_browser.support import blocking_violations, log_in

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# Enough hazard areas for the run to take a few seconds, so that the page polls its progress.
HAZARD_COUNT = 3000


def hazards_geopackage(path):
    rows = [
        {
            "HAZ_ID": f"NR-{number:04d}",
            "type": "CHA" if number % 2 else "SHA",
            "date_recorded": datetime.date(2021, 3, 4),
            "geometry": shapely.box(*corner(number), *corner(number, 0.002)),
        }
        for number in range(1, HAZARD_COUNT + 1)
    ]
    return gisfiles.write_gpkg(path, rows)


def corner(number, offset=0.0):
    return 30 + (number % 100) * 0.01 + offset, -18 + (number // 100) * 0.01 + offset


def broken_csv(path):
    rows = [
        {"external_id": "SR-001", "type": "CHA", "date_recorded": "2022-01-10", "area_m2": "900"},
        {"external_id": "SR-002", "type": "CHA", "date_recorded": "2022-13-45", "area_m2": "900"},
        {"external_id": "SR-003", "type": "CHA", "date_recorded": "2022-01-10", "area_m2": "-40"},
    ]
    return gisfiles.write_csv(path, rows)


def upload(page, path, kind="Hazard areas"):
    page.goto(reverse("landrelease:imports_new"))
    page.get_by_label("Kind of data").select_option(label=kind)
    page.locator("input[name=file]").set_input_files(str(path))
    page.get_by_role("button", name="Upload and choose the columns").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Columns of the file")


def start_and_wait(page):
    """Start the import; the page stays and its progress bar fills up. Returns the number of
    times the page asked for the progress meanwhile: none when the import ends before the
    first poll (half a second after the start), which a quiet machine can manage."""
    polls = []

    def count_polls(request):
        if "/progress/" in request.url:
            polls.append(request.url)

    page.on("request", count_polls)
    page.get_by_role("button", name="Start import").click()
    expect(page.locator("progress#job-progress")).to_have_attribute("value", "100", timeout=60_000)
    page.remove_listener("request", count_polls)
    return len(polls)


def test_a_data_manager_imports_hazard_areas_and_reads_the_errors_of_a_broken_file(
    page, live_server, people, tmp_path
):
    log_in(page, people["data_manager"].user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

    # The imports page documents the columns of each kind of file.
    page.goto(reverse("landrelease:imports_list"))
    page.locator("#columns-hazards summary").click()  # opens its <details>
    expect(page.get_by_role("cell", name="date_recorded", exact=True).first).to_be_visible()
    assert blocking_violations(page) == []

    page.get_by_role("link", name="New import").first.click()
    upload(page, hazards_geopackage(tmp_path / "northern-survey.gpkg"))
    # (Checked without the page's one-off message: base.html's message list has role=status,
    # which axe refuses for a <ul>.)
    page.reload()
    assert blocking_violations(page) == []

    # The id column has a name the platform does not know: the data manager picks it, and
    # the preview follows.
    preview = page.locator("#preview")
    expect(preview.get_by_role("columnheader", name="external_id")).to_have_count(0)
    page.get_by_label("external_id").select_option("HAZ_ID")
    expect(preview.get_by_role("columnheader", name="external_id")).to_be_visible()
    expect(preview.get_by_role("cell", name="NR-0001")).to_be_visible()
    expect(preview.get_by_role("cell", name="Polygon").first).to_be_visible()
    expect(preview.locator("tbody tr")).to_have_count(10)
    page.get_by_label("Save this mapping as").fill("Northern survey export")
    page.get_by_role("button", name="Use these columns").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("northern-survey.gpkg")
    start_and_wait(page)
    expect(page.get_by_role("status").filter(has_text="Imported:")).to_have_text(
        "Imported: 3000 created, 0 updated, 0 unchanged."
    )
    page.reload()
    expect(page.locator("progress#job-progress")).to_have_attribute("value", "100")
    assert blocking_violations(page) == []
    assert HazardArea.objects.count() == HAZARD_COUNT
    assert HazardArea.objects.get(external_id="NR-0002").hazard_type == "SHA"
    assert ImportMapping.objects.get().columns["external_id"] == "HAZ_ID"

    # A broken file: refused, every error with its line, nothing saved.
    upload(page, broken_csv(tmp_path / "southern-survey.csv"))
    page.get_by_role("button", name="Use these columns").click()
    start_and_wait(page)
    expect(page.get_by_role("status").filter(has_text="Refused:")).to_contain_text(
        "Refused: 2 problems were found, so nothing was saved."
    )
    errors = page.locator("#errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0).locator("td").nth(0)).to_have_text("3")
    expect(errors.nth(0).locator("td").nth(1)).to_have_text("date_recorded")
    expect(errors.nth(1).locator("td").nth(0)).to_have_text("4")
    expect(errors.nth(1).locator("td").nth(1)).to_have_text("area_m2")
    assert HazardArea.objects.count() == HAZARD_COUNT
    assert ImportJob.objects.latest("created_at").status == ImportJob.Status.REFUSED

    with page.expect_download() as download:
        page.get_by_role("link", name="Download errors as CSV").click()
    assert download.value.suggested_filename == "southern-survey-errors.csv"
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "line,column,message"
    assert [line.split(",")[:2] for line in lines[1:]] == [["3", "date_recorded"], ["4", "area_m2"]]

    # The history lists both imports.
    page.goto(reverse("landrelease:imports_list"))
    expect(page.locator("#results tbody tr")).to_have_count(2)
