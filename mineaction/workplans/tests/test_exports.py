"""The activity export (CSV and XLSX) of one plan or all, read back."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mineaction.conftest import PERSONAS
from mineaction.workplans.tests.factories import make_activity, make_plan

D = datetime.date
EXPORT = reverse("workplans:plan_export")
HEADER = [
    "Work plan",
    "Kind of plan",
    "Code",
    "Title",
    "Description",
    "Component",
    "Responsible organisation",
    "Starts",
    "Ends",
    "Budget",
    "Currency",
    "Status",
    "Progress (%)",
    "Late",
    "Challenges addressed",
    "Public id",
]


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_export_is_for_members(clients, plan, persona):
    status = clients[persona].get(EXPORT + "?format=xlsx").status_code
    assert status == {"anonymous": 302, "outsider": 403}.get(persona, 200)


def test_the_csv_reads_back_with_visible_challenges_only(clients, plan, activity, full_plan):
    other = make_plan("Older plan", starts_on=D(2019, 1, 1), ends_on=D(2019, 12, 31))
    make_activity(other, activity.responsible_organisation, title="=HYPERLINK(1)")
    response = clients["member"].get(EXPORT + "?format=csv")
    assert response["Content-Disposition"] == 'attachment; filename="activities.csv"'
    rows = read_csv(response)
    assert rows[0] == HEADER
    assert [row[3] for row in rows[1:]] == [
        "'=HYPERLINK(1)",
        "Adopt the national standards",
        "Survey the northern districts",
    ]
    survey = rows[3]
    assert survey[:4] == [
        "National strategy",
        "Article 5 work plan",
        "2.1",
        "Survey the northern districts",
    ]
    assert survey[6:15] == [
        "Clear Fields Association",
        activity.starts_on.isoformat(),
        activity.ends_on.isoformat(),
        "120000.00",
        "USD",
        "In progress",
        "40",
        "no",
        full_plan["challenge"].reference,
    ]
    assert survey[15] == str(activity.public_id)
    assert rows[2][13] == "yes"
    secretariat_rows = read_csv(clients["secretariat"].get(EXPORT + "?format=csv"))
    assert secretariat_rows[3][14] == ", ".join(
        sorted([full_plan["challenge"].reference, full_plan["hidden"].reference])
    )


def test_one_plan_as_xlsx(clients, plan, activity):
    make_activity(
        make_plan("Other", starts_on=D(2019, 1, 1), ends_on=D(2019, 12, 31)),
        activity.responsible_organisation,
    )
    response = clients["member"].get(EXPORT + f"?format=xlsx&plan={plan.public_id}")
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="activities-{plan.public_id}.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert len(rows) == 2
    assert rows[1][3] == "Survey the northern districts"
    assert rows[1][7] == datetime.datetime.combine(activity.starts_on, datetime.time())
    assert rows[1][9] == 120000


def test_bad_requests_are_refused(clients, plan):
    client = clients["member"]
    assert client.get(EXPORT + "?format=pdf").json()["errors"] == {
        "format": ["Unknown format “pdf”. Choose one of: csv, xlsx."]
    }
    response = client.get(EXPORT + "?plan=00000000-0000-0000-0000-000000000000")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["plan"]


def test_the_export_takes_as_many_queries_for_many_activities_as_for_one(
    clients, plan, activity, full_plan, ngo_org
):
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert clients["member"].get(EXPORT + "?format=csv").status_code == 200
        return len(context.captured_queries)

    one = queries()
    for number in range(5):
        more = make_activity(plan, ngo_org, title=f"More {number}")
        more.challenges.add(full_plan["challenge"])
    assert queries() == one
