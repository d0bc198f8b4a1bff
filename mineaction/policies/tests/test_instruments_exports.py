"""The instrument list as CSV and XLSX, filtered as on the page, read back."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from mineaction.challenges.tests.factories import make_challenge
from mineaction.policies.tests.factories import make_chapter, make_imas, make_instrument
from mineaction.stakeholders.tests.helpers import LIST_ACCESS, assert_outcome

URL = reverse("policies:instrument_export")
HEADERS = [
    "Reference",
    "Title",
    "Kind",
    "Component",
    "Stage",
    "Stage since",
    "Responsible body",
    "Target date",
    "Overdue",
    "Version",
    "Version date",
    "IMAS number",
    "IMAS edition followed",
    "IMAS current edition date",
    "Lags behind the IMAS",
    "Link",
    "Challenges addressed",
    "Description",
]


@pytest.fixture
def instruments(db, authority_org, ngo_org, donor_org):
    law = make_instrument(
        "Mine action law",
        reference="Law 12/2019",
        responsible_body=authority_org,
        target_date=datetime.date(2023, 6, 30),
        version="Draft 3",
        version_date=datetime.date(2023, 1, 5),
        link="https://example.org/law",
        description='=HYPERLINK("https://evil.example")',
    )
    shown = make_challenge("Outdated law", ngo_org)
    hidden = make_challenge("Confidential", donor_org, visibility="restricted")
    law.challenges.set([shown, hidden])
    imas = make_imas("07.11", edition_date=datetime.date(2022, 3, 1))
    make_chapter("Land release", imas, followed=datetime.date(2019, 1, 1), reference="NMAS 07.11")
    return law, shown, hidden


@pytest.mark.parametrize(("persona", "expected"), LIST_ACCESS.items())
def test_export_is_for_members(clients, instruments, persona, expected):
    assert_outcome(clients[persona].get(URL), expected)


def test_csv_export_with_filters_reads_back(clients, instruments):
    _law, shown, _hidden = instruments
    response = clients["member"].get(URL, {"format": "csv", "kind": "law"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="instruments.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        HEADERS,
        [
            "Law 12/2019",
            "Mine action law",
            "Law",
            "Political",
            "Drafting",
            "2024-01-15",
            "Testland Mine Action Centre",
            "2023-06-30",
            "yes",
            "Draft 3",
            "2023-01-05",
            "",
            "",
            "",
            "no",
            "https://example.org/law",
            shown.reference,
            '\'=HYPERLINK("https://evil.example")',
        ],
    ]


def test_csv_is_the_default_format(clients, instruments):
    response = clients["member"].get(URL)
    assert response["Content-Disposition"] == 'attachment; filename="instruments.csv"'


def test_xlsx_export_reads_back(clients, instruments):
    _law, shown, hidden = instruments
    response = clients["secretariat"].get(URL, {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert [row[0] for row in rows[1:]] == ["Law 12/2019", "NMAS 07.11"]
    assert rows[1][16] == f"{hidden.reference}, {shown.reference}"
    assert rows[1][17] == '=HYPERLINK("https://evil.example")'
    assert sheet.cell(row=2, column=18).data_type == "s"
    chapter = rows[2]
    assert chapter[11:15] == (
        "07.11",
        datetime.datetime(2019, 1, 1),
        datetime.datetime(2022, 3, 1),
        True,
    )


def test_export_leaves_out_challenges_the_reader_may_not_see(clients, instruments):
    _law, shown, hidden = instruments
    text = clients["member"].get(URL).content.decode("utf-8-sig")
    assert shown.reference in text
    assert hidden.reference not in text


def test_unknown_export_format_is_not_found(clients, instruments):
    assert clients["member"].get(URL, {"format": "pdf"}).status_code == 404
