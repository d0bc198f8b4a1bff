"""National standards: how far each NMAS chapter lags behind the IMAS it follows, lagging
chapters first, with the JSON twin and the CSV/XLSX exports."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from mineaction.policies.services.standards import lag_text, months_between, standards_rows
from mineaction.policies.tests.factories import make_chapter, make_imas, make_instrument
from mineaction.stakeholders.tests.helpers import LIST_ACCESS, assert_outcome

URL = reverse("policies:standards")


@pytest.mark.parametrize(
    ("earlier", "later", "months"),
    [
        (datetime.date(2020, 1, 1), datetime.date(2020, 1, 1), 0),
        (datetime.date(2020, 1, 15), datetime.date(2020, 2, 14), 0),
        (datetime.date(2020, 1, 15), datetime.date(2020, 2, 15), 1),
        (datetime.date(2019, 11, 30), datetime.date(2022, 2, 28), 26),
        (datetime.date(2019, 11, 15), datetime.date(2022, 3, 1), 27),
        (datetime.date(2013, 6, 1), datetime.date(2023, 6, 1), 120),
        (datetime.date(2023, 6, 1), datetime.date(2020, 6, 1), 0),
    ],
)
def test_months_between_counts_whole_months(earlier, later, months):
    assert months_between(earlier, later) == months


@pytest.mark.parametrize(
    ("months", "text"),
    [
        (0, "less than a month"),
        (1, "1 month"),
        (11, "11 months"),
        (12, "1 year"),
        (13, "1 year and 1 month"),
        (27, "2 years and 3 months"),
        (120, "10 years"),
    ],
)
def test_lag_in_words(months, text):
    assert str(lag_text(months)) == text


@pytest.fixture
def chapters(db):
    """Two lagging chapters (by 10 years and by 10 days), one current, one without an IMAS and
    one without the edition followed; a law is not a standard."""
    land_release = make_imas("07.11", title="Land release", edition_date=datetime.date(2023, 6, 1))
    eod = make_imas("09.30", title="EOD", edition_date=datetime.date(2021, 3, 11))
    survey = make_imas(
        "08.10", title="Non-technical survey", edition_date=datetime.date(2019, 1, 1)
    )
    make_chapter("Survey", survey, followed=datetime.date(2019, 1, 1), reference="NMAS 08.10")
    make_chapter("EOD", eod, followed=datetime.date(2021, 3, 1), reference="NMAS 09.30")
    make_chapter(
        "Land release", land_release, followed=datetime.date(2013, 6, 1), reference="NMAS 07.11"
    )
    make_instrument("Orphan chapter", kind="nmas_chapter", reference="NMAS 10.20")
    make_chapter("Undated chapter", survey, followed=None, reference="NMAS 08.20")
    make_instrument("Mine action law", reference="Law 1/2020")


def test_rows_put_the_longest_lag_first_then_flagged_then_current(chapters):
    rows = standards_rows()
    assert [(row.chapter.title, row.status, row.lag_months) for row in rows] == [
        ("Land release", "lagging", 120),
        ("EOD", "lagging", 0),
        ("Orphan chapter", "no_imas", None),
        ("Undated chapter", "no_edition", None),
        ("Survey", "current", 0),
    ]
    assert [row.lag_text for row in rows] == ["10 years", "less than a month", "", "", ""]


@pytest.mark.parametrize(("persona", "expected"), LIST_ACCESS.items())
def test_standards_page_is_for_members(clients, chapters, persona, expected):
    assert_outcome(clients[persona].get(URL), expected)


def test_standards_page_shows_lag_and_flags(clients, chapters):
    response = clients["observer"].get(URL)
    text = response.text
    assert (
        text.index("NMAS 07.11: Land release")
        < text.index("Orphan chapter")
        < text.index("NMAS 08.10: Survey")
    )
    assert "10 years" in text
    assert "No IMAS recorded" in text
    assert "Edition followed not recorded" in text
    assert "Mine action law" not in text
    summary = {group["status"]: group["count"] for group in response.context["summary"]}
    assert summary == {"lagging": 2, "no_imas": 1, "no_edition": 1, "current": 1}


def test_standards_json_twin(clients, chapters):
    response = clients["member"].get(URL, {"format": "json"})
    assert response["Content-Type"] == "application/json"
    chapters = response.json()["chapters"]
    assert [row["chapter"]["reference"] for row in chapters] == [
        "NMAS 07.11",
        "NMAS 09.30",
        "NMAS 10.20",
        "NMAS 08.20",
        "NMAS 08.10",
    ]
    first = chapters[0]
    assert first["imas"]["reference"] == "07.11"
    assert first["imas"]["edition_date"] == "2023-06-01"
    assert first["edition_followed"] == "2013-06-01"
    assert (first["status"], first["lags"], first["lag_months"]) == ("lagging", True, 120)
    assert first["lag"] == {"years": 10, "months": 0}
    assert chapters[2]["imas"] is None and chapters[2]["lag"] is None


def test_standards_csv_export_reads_back(clients, chapters):
    response = clients["member"].get(URL, {"format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="national-standards.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "NMAS reference",
        "NMAS title",
        "Stage",
        "IMAS number",
        "IMAS title",
        "IMAS edition followed",
        "IMAS current edition",
        "IMAS current edition date",
        "Status",
        "Lag (months)",
    ]
    assert rows[1] == [
        "NMAS 07.11",
        "Land release",
        "Drafting",
        "07.11",
        "Land release",
        "2013-06-01",
        "Edition 2",
        "2023-06-01",
        "Lags behind the IMAS",
        "120",
    ]
    assert rows[3][3:] == ["", "", "", "", "", "No IMAS recorded", ""]


def test_standards_xlsx_export_reads_back(clients, chapters):
    response = clients["member"].get(URL, {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 6
    assert rows[1][0] == "NMAS 07.11"
    assert rows[1][5] == datetime.datetime(2013, 6, 1)
    assert rows[1][9] == 120
    assert rows[5][8] == "Follows the current edition"


def test_unknown_format_is_not_found(clients, chapters):
    assert clients["member"].get(URL, {"format": "pdf"}).status_code == 404


def test_a_newer_imas_edition_makes_a_current_chapter_lag(clients, chapters):
    from mineaction.policies.models import ImasStandard

    survey = ImasStandard.objects.get(reference="08.10")
    clients["secretariat"].post(
        reverse("policies:imas_edit", args=[survey.public_id]),
        {
            "reference": "08.10",
            "title": "NTS",
            "edition": "Edition 3",
            "edition_date": "2020-07-01",
        },
    )
    rows = {row.chapter.title: (row.status, row.lag_months) for row in standards_rows()}
    assert rows["Survey"] == ("lagging", 18)
