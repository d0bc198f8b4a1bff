"""The Article 5 dashboard page: headline figures, countdown, forecast, charts with their tables,
filters (past dates, regions, scenario), bad filters, the empty state, access and query count."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone

from mineaction.core.models import DeadlineChange
from mineaction.landrelease.models import HazardArea, HazardStatus, HazardType, ReleaseMethod
from mineaction.landrelease.services import progress
from mineaction.landrelease.tests import factories

URL = "/article5/"
AS_OF = "2024-06-30"
DEADLINE = datetime.date(2026, 3, 1)


@pytest.fixture
def article5(country):
    return make_article5_data(country)


def make_article5_data(country):
    """Two provinces, three hazard areas and five releases over four years; a deadline extended
    once to 1 March 2026.

    On 30 June 2024: hazard A (CHA, 100,000 m²) has 60,000 m² left, B (SHA, 50,000 m²) 15,000
    and C was closed in 2023: 75,000 m² remain. 10,000, 50,000 and 10,000 m² were released in
    2021-2023, so the observed rate is 23,333 m² a year.
    """
    country.original_article5_deadline = datetime.date(2023, 3, 1)
    country.save()
    DeadlineChange.objects.create(
        profile=country,
        new_deadline=DEADLINE,
        decided_on=datetime.date(2022, 11, 1),
        decision="Decision of the Twentieth Meeting of the States Parties",
    )
    north = factories.make_admin_area("PR01", name="Northern Province")
    lake = factories.make_admin_area("DI0101", name="Lake District", level=2, parent=north)
    south = factories.make_admin_area("PR02", name="Southern Province")
    recorded = datetime.date(2018, 1, 1)
    hazard_a = factories.make_hazard(
        "HA-A", admin_area=lake, recorded_area_m2=100_000, date_recorded=recorded
    )
    hazard_b = factories.make_hazard(
        "HA-B",
        hazard_type=HazardType.SHA,
        admin_area=south,
        recorded_area_m2=50_000,
        date_recorded=recorded,
    )
    factories.make_hazard(
        "HA-C",
        admin_area=north,
        recorded_area_m2=20_000,
        status=HazardStatus.CLOSED,
        closed_on=datetime.date(2023, 5, 1),
        date_recorded=datetime.date(2019, 1, 1),
    )
    release = factories.make_release
    release(hazard_a, 10_000, datetime.date(2021, 6, 1), devices_ap_mine=3)
    release(hazard_a, 20_000, datetime.date(2022, 6, 1), method=ReleaseMethod.REDUCED)
    release(hazard_a, 10_000, datetime.date(2023, 6, 1), devices_uxo=2)
    release(hazard_b, 30_000, datetime.date(2022, 3, 1), method=ReleaseMethod.CANCELLED)
    release(hazard_b, 5_000, datetime.date(2024, 3, 1))
    factories.make_milestone(2022, 40_000)
    factories.make_milestone(2023, 30_000)
    return {"north": north, "lake": lake, "south": south}


def text_of(response):
    """The page's text without tags, spaces collapsed."""
    text = re.sub(r"<svg.*?</svg>", " ", response.text, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


def table_rows(response, caption):
    """[[cell text]] of the table whose caption starts with `caption`."""
    match = re.search(
        rf"<caption>{re.escape(caption)}.*?</caption>.*?<tbody>(.*?)</tbody>",
        response.text,
        re.DOTALL,
    )
    assert match, caption
    rows = re.findall(r"<tr>(.*?)</tr>", match.group(1), re.DOTALL)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>.*?</t[hd]>", row)
        ]
        for row in rows
    ]


def test_member_sees_remaining_area_countdown_and_forecast(clients, article5):
    response = clients["member"].get(URL, {"as_of": AS_OF})
    assert response.status_code == 200
    text = text_of(response)
    assert "The whole country on June 30, 2024" in text
    assert "75,000 m²" in text
    days_left = (DEADLINE - datetime.date(2024, 6, 30)).days
    assert days_left == 609
    assert "March 1, 2026 609 days left 1 extension granted." in text
    forecast = response.context["summary"]["forecast"]
    completion = forecast["completion_date"]
    assert completion > DEADLINE
    assert (
        "At the observed rate of 23,333 m² a year (the mean of 2021, 2022, 2023; from 10,000 to "
        "50,000 m² in a single year), the remaining area would be released by "
        f"{formats.date_format(completion, 'DATE_FORMAT')}"
    ) in text
    assert "That is after the Article 5 deadline." in text
    assert "Will the deadline hold? No At the observed rate, the remaining area would not" in text
    assert (
        "If capacity grows by 50 %, for example when the funding gap is closed, the rate would "
        "be 35,000 m² a year." in text
    )


def test_each_chart_has_its_svg_table_and_json_link(clients, article5):
    response = clients["member"].get(URL, {"as_of": AS_OF})
    keys = [chart.key for chart in response.context["charts"]]
    assert keys == [
        "remaining_by_type",
        "hazards_by_status",
        "remaining_by_admin_area",
        "released_by_year",
        "milestones",
        "devices_destroyed",
        "forecast",
    ]
    assert response.text.count('<svg role="img" aria-label="') == 7
    for key in keys:
        section = re.search(rf'<section class="panel" id="{key}".*?</section>', response.text, re.S)
        assert section, key
        assert "<table" in section.group() and "<caption>" in section.group()
        json_link = (
            f"/article5/progress.json?as_of=2024-06-30&amp;level=1&amp;"
            f"capacity_change_percent=50&amp;chart={key}"
        )
        assert json_link in section.group()
    assert table_rows(response, "Land released per year by method") == [
        ["2021", "0", "0", "10,000", "10,000"],
        ["2022", "30,000", "20,000", "0", "50,000"],
        ["2023", "0", "0", "10,000", "10,000"],
        ["2024", "0", "0", "5,000", "5,000"],
    ]
    assert table_rows(response, "Article 5 milestones: planned and achieved") == [
        ["2022", "40,000", "50,000", "Met"],
        ["2023", "30,000", "10,000", "Not met"],
    ]
    assert table_rows(response, "Remaining area by type of hazardous area") == [
        ["Suspected hazardous area (SHA)", "15,000"],
        ["Confirmed hazardous area (CHA)", "60,000"],
    ]
    devices = dict(table_rows(response, "Devices destroyed by category")[:1])
    assert devices == {"Anti-personnel mine": "3"}


def test_burn_down_table_lists_the_year_ends_the_forecast_and_the_deadline(clients, article5):
    response = clients["member"].get(URL, {"as_of": AS_OF})
    rows = table_rows(response, "Remaining area over time and forecast completion")
    # The year before the first release, then each year end, then the date of the figures.
    assert rows[:5] == [
        ["Dec. 31, 2020", "170,000", "Recorded"],
        ["Dec. 31, 2021", "160,000", "Recorded"],
        ["Dec. 31, 2022", "110,000", "Recorded"],
        ["Dec. 31, 2023", "80,000", "Recorded"],
        ["June 30, 2024", "75,000", "Recorded"],
    ]
    assert [row[2] for row in rows[5:]] == [
        "Forecast completion at the observed rate",
        "Earliest completion (fastest observed rate)",
        "Latest completion (slowest observed rate)",
        "Completion with the scenario",
        "Article 5 deadline",
    ]
    assert rows[-1][:1] == ["March 1, 2026"]


def test_figures_at_a_past_date_are_those_recorded_by_then(clients, article5):
    response = clients["member"].get(URL, {"as_of": "2022-12-31"})
    text = text_of(response)
    assert "The whole country on Dec. 31, 2022" in text
    # Hazard C was still open: 70,000 + 20,000 + 20,000.
    assert "110,000 m²" in text
    assert [row[0] for row in table_rows(response, "Land released per year by method")] == [
        "2021",
        "2022",
    ]
    assert response.context["summary"] == progress.summary(
        datetime.date(2022, 12, 31), capacity_change_percent=50
    )


def test_region_filter_shows_the_region_and_breaks_it_down_one_level_below(clients, article5):
    response = clients["member"].get(URL, {"as_of": AS_OF, "admin_area": "PR01"})
    text = text_of(response)
    assert "Northern Province on June 30, 2024" in text
    assert "60,000 m²" in text
    rows = table_rows(response, "Remaining area by admin area")
    # Hazard C lies in the province but in none of its districts.
    assert rows == [
        ["Lake District", "DI0101", "1", "0", "60,000", "60,000"],
        ["Unassigned", "", "0", "0", "0", "0"],
    ]
    assert response.context["summary"]["remaining_area_m2"] == 60_000


def test_capacity_scenario_can_bring_completion_before_the_deadline(clients, article5):
    response = clients["member"].get(URL, {"as_of": AS_OF, "capacity_change_percent": "200"})
    scenario = response.context["summary"]["forecast"]["scenario"]
    assert scenario["capacity_change_percent"] == 200
    assert scenario["meets_deadline"] is True
    text = text_of(response)
    assert "If capacity grows by 200 %" in text
    assert "the rate would be 70,000 m² a year" in text
    date = scenario["completion_date"]
    assert (
        f"The remaining area would then be released by {formats.date_format(date, 'DATE_FORMAT')}."
        " That is before the Article 5 deadline."
    ) in text


def test_a_cut_in_capacity_is_told_as_a_fall(clients, article5):
    text = text_of(clients["member"].get(URL, {"as_of": AS_OF, "capacity_change_percent": "-30"}))
    assert "If capacity falls by 30 %, the rate would be 16,333 m² a year." in text


def test_a_fractional_capacity_change_keeps_its_decimals(clients, article5):
    response = clients["member"].get(
        URL, {"as_of": AS_OF, "capacity_change_percent": "12.5"}, headers={"accept-language": "fr"}
    )
    assert "12,5" in text_of(response)
    assert response.context["summary"]["forecast"]["scenario"]["capacity_change_percent"] == 12.5


def test_deadline_passed_is_told_in_words(clients, article5, country):
    DeadlineChange.objects.update(new_deadline=datetime.date(2024, 1, 1))
    text = text_of(clients["member"].get(URL, {"as_of": AS_OF}))
    assert "The deadline passed 181 days ago." in text


def test_forecast_without_a_latest_date_says_why(clients, article5):
    # 2023-2025 released 10,000, 5,000 and nothing: the slowest rate never finishes.
    response = clients["member"].get(URL, {"as_of": "2026-06-30"})
    forecast = response.context["summary"]["forecast"]
    assert forecast["basis_years"] == [2023, 2024, 2025]
    assert forecast["completion_latest"] is None
    earliest = formats.date_format(forecast["completion_earliest"], "DATE_FORMAT")
    text = text_of(response)
    assert (
        f"Not before {earliest}. In the slowest of the years the rate is taken from, nothing "
        "was released, so there is no latest date."
    ) in text
    assert f"At the fastest of those rates by {earliest}; in the slowest year nothing" in text
    assert "The deadline passed 121 days ago." in text


def test_nothing_left_is_said_plainly(clients, article5):
    hazard_b = HazardArea.objects.get(external_id="HA-B")
    factories.make_release(hazard_b, 15_000, datetime.date(2024, 4, 1))
    response = clients["member"].get(URL, {"as_of": AS_OF, "admin_area": "PR02"})
    assert response.context["summary"]["remaining_area_m2"] == 0
    text = text_of(response)
    assert "Remaining area 0 m²" in text
    assert "Forecast completion — Nothing remains to be released." in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"as_of": "2024-13-45"}, "Enter the date as YYYY-MM-DD, such as 2024-12-31."),
        ({"admin_area": "NOWHERE"}, "No admin area has this code."),
        ({"capacity_change_percent": "a lot"}, "Enter a number."),
        ({"level": "7"}, "Select a valid choice. 7 is not one of the available choices."),
        (
            {"as_of": "2999-01-01"},
            "Choose today or a date in the past: the figures are those recorded by then.",
        ),
    ],
)
def test_bad_filter_is_reported_and_figures_fall_back_to_today(clients, article5, query, message):
    response = clients["member"].get(URL, query)
    assert response.status_code == 200
    assert message in response.text
    assert "Some filters are not valid and were ignored:" in response.text
    summary = response.context["summary"]
    assert summary["as_of"] == timezone.localdate()
    assert summary["remaining_area_m2"] == 75_000
    assert response.context["region"] is None


def test_bad_filter_message_is_in_the_readers_language(clients, article5):
    response = clients["member"].get(
        URL, {"capacity_change_percent": "beaucoup"}, headers={"accept-language": "fr"}
    )
    assert response.status_code == 200
    assert '<html lang="fr"' in response.text
    assert "Saisissez un nombre." in response.text


def test_arabic_page_is_right_to_left_with_arabic_digits_grouped(clients, article5):
    response = clients["member"].get(URL, {"as_of": AS_OF}, headers={"accept-language": "ar"})
    assert '<html lang="ar" dir="rtl">' in response.text
    assert "75\u066c000" in response.text


def test_empty_platform_tells_data_managers_where_to_import(clients, country):
    response = clients["data_manager"].get(URL)
    assert response.status_code == 200
    assert "No Article 5 data yet" in response.text
    assert "charts" not in response.context
    imports_link = f'href="{reverse("landrelease:imports_list")}"'
    assert imports_link in response.text
    member_page = clients["member"].get(URL).text
    assert "No Article 5 data yet" in member_page
    assert "The platform's data managers import them." in member_page
    assert imports_link not in member_page


def test_anonymous_visitor_is_sent_to_log_in(clients, article5):
    response = clients["anonymous"].get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_outsider_is_refused(clients, article5):
    assert clients["outsider"].get(URL).status_code == 403


@pytest.mark.parametrize("persona", ["observer", "member", "lead_donor", "data_manager"])
def test_every_reader_sees_the_dashboard(clients, article5, persona):
    assert clients[persona].get(URL, {"as_of": AS_OF}).status_code == 200


def _grow(count, regions):
    """`count` more hazard areas, each with releases in 2021-2023."""
    for number in range(count):
        hazard = factories.make_hazard(
            admin_area=regions[number % len(regions)],
            recorded_area_m2=10_000 + number,
            date_recorded=datetime.date(2019, 1, 1),
        )
        for year in (2021, 2022, 2023):
            factories.make_release(hazard, 100, datetime.date(year, 7, 1))


def test_query_count_stays_the_same_as_the_data_grows(clients, article5):
    client = clients["member"]
    regions = [article5["lake"], article5["south"]]
    _grow(5, regions)
    client.get(URL, {"as_of": AS_OF})
    progress.data_changed()  # both requests compute the figures: none comes from the cache
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL, {"as_of": AS_OF}).status_code == 200
    _grow(45, regions)
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL, {"as_of": AS_OF})
    assert response.context["summary"]["remaining_area_m2"] > 75_000 + 45 * 9_000
    assert len(large) == len(small)
