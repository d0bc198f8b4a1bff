"""services.progress.summary on hand-built data: every figure exact, on today's data and at past
dates, nationally and in one region, at each admin level."""

import datetime

import pytest
from django.utils import timezone
from pyproj import Geod
from shapely.geometry import Polygon

from mineaction.core.models import DeadlineChange
from mineaction.landrelease.models import HazardStatus, HazardType, ReleaseMethod
from mineaction.landrelease.services import progress
from mineaction.landrelease.tests import factories

AS_OF = datetime.date(2024, 6, 30)
DEADLINE = datetime.date(2028, 3, 1)
CANCELLED, REDUCED, CLEARED = ReleaseMethod.CANCELLED, ReleaseMethod.REDUCED, ReleaseMethod.CLEARED


@pytest.fixture
def land(country):
    """Two provinces (Alpha with districts Alpha One and Alpha Two, Beta with Beta One) and six
    hazard areas with recorded areas, so every figure can be worked out by hand.

    On 30 June 2024:
    - H1 CHA in Alpha One, 10,000 m², released 3,000 + 2,000 + 1,000 (a 2025 release comes
      later): 4,000 left;
    - H2 SHA in Alpha Two, 5,000 m², released 4,000 + 3,000: more than its area, 0 left;
    - H3 CHA in Alpha only (no district), 8,000 m², 6,000 released, closed on 31 Dec 2023: 0;
    - H4 SHA in Beta One, 20,000 m², recorded on 1 March 2024, nothing released: 20,000;
    - H5 CHA without admin area, 7,000 m², nothing released: 7,000;
    - H6 CHA in Alpha One, 3,000 m², all cleared, handed over in 2019: 0.
    """
    country.original_article5_deadline = datetime.date(2025, 3, 1)
    country.save()
    DeadlineChange.objects.create(
        profile=country,
        new_deadline=DEADLINE,
        decided_on=datetime.date(2024, 12, 1),
        decision="Decision of the Twenty-second Meeting of the States Parties",
    )
    alpha = factories.make_admin_area("PA", name="Alpha")
    alpha_one = factories.make_admin_area("PA1", name="Alpha One", level=2, parent=alpha)
    alpha_two = factories.make_admin_area("PA2", name="Alpha Two", level=2, parent=alpha)
    beta = factories.make_admin_area("PB", name="Beta")
    beta_one = factories.make_admin_area("PB1", name="Beta One", level=2, parent=beta)
    hazard = factories.make_hazard
    recorded = datetime.date(2015, 1, 1)
    h1 = hazard("H1", admin_area=alpha_one, recorded_area_m2=10_000, date_recorded=recorded)
    h2 = hazard(
        "H2",
        hazard_type=HazardType.SHA,
        admin_area=alpha_two,
        recorded_area_m2=5_000,
        date_recorded=recorded,
    )
    h3 = hazard(
        "H3",
        admin_area=alpha,
        recorded_area_m2=8_000,
        status=HazardStatus.CLOSED,
        closed_on=datetime.date(2023, 12, 31),
        date_recorded=recorded,
    )
    hazard(
        "H4",
        hazard_type=HazardType.SHA,
        admin_area=beta_one,
        recorded_area_m2=20_000,
        date_recorded=datetime.date(2024, 3, 1),
    )
    hazard("H5", recorded_area_m2=7_000, date_recorded=datetime.date(2010, 6, 1))
    h6 = hazard(
        "H6",
        admin_area=alpha_one,
        recorded_area_m2=3_000,
        status=HazardStatus.HANDED_OVER,
        closed_on=datetime.date(2019, 12, 31),
        date_recorded=recorded,
    )
    release = factories.make_release
    release(h1, 3_000, datetime.date(2020, 3, 1))
    release(h1, 2_000, datetime.date(2021, 7, 1), method=REDUCED)
    release(h1, 1_000, datetime.date(2024, 2, 1), method=CANCELLED)
    release(h1, 500, datetime.date(2025, 1, 10))
    release(h2, 4_000, datetime.date(2022, 5, 5), method=CANCELLED)
    release(h2, 3_000, datetime.date(2023, 5, 5), method=CANCELLED)
    release(h3, 6_000, datetime.date(2023, 6, 1), devices_ap_mine=3, devices_uxo=1)
    release(h6, 3_000, datetime.date(2019, 6, 1), devices_av_mine=2)
    factories.make_milestone(2022, 4_000)
    factories.make_milestone(2023, 10_000)
    factories.make_milestone(2024, 5_000)
    factories.make_milestone(2030, 1_000)
    factories.make_milestone(2023, 8_000, admin_area=alpha)
    return {"alpha": alpha, "alpha_one": alpha_one, "beta": beta, "beta_one": beta_one}


def by_code(rows):
    return {row["code"]: row for row in rows}


def test_remaining_area_is_baseline_minus_release_clamped_and_zero_once_closed(land):
    figures = progress.summary(AS_OF)
    assert figures["as_of"] == AS_OF
    assert figures["remaining_area_m2"] == 4_000 + 20_000 + 7_000
    assert figures["remaining_by_type"] == {"SHA": 20_000, "CHA": 11_000}


def test_hazards_by_status_counts_the_status_on_the_date(land):
    assert progress.summary(AS_OF)["hazards_by_status"] == [
        {"status": "open", "label": "Open", "count": 4, "remaining_m2": 31_000},
        {"status": "closed", "label": "Closed", "count": 1, "remaining_m2": 0},
        {"status": "handed_over", "label": "Handed over", "count": 1, "remaining_m2": 0},
    ]


def test_remaining_by_province_rolls_districts_up_and_lists_the_unassigned(land):
    rows = progress.summary(AS_OF)["remaining_by_admin_area"]
    assert [row["code"] for row in rows] == ["PA", "PB", ""]
    alpha, beta, unassigned = rows
    assert alpha == {
        "public_id": land["alpha"].public_id,
        "code": "PA",
        "name": "Alpha",
        "level": 1,
        "remaining_m2": 4_000,
        "sha_m2": 0,
        "cha_m2": 4_000,
        "hazard_count": 2,  # H1 and H2 are open; H3 and H6 are not
    }
    assert (beta["remaining_m2"], beta["sha_m2"], beta["hazard_count"]) == (20_000, 20_000, 1)
    assert unassigned == {
        "public_id": None,
        "code": "",
        "name": "Unassigned",
        "level": 1,
        "remaining_m2": 7_000,
        "sha_m2": 0,
        "cha_m2": 7_000,
        "hazard_count": 1,
    }


def test_remaining_by_district_puts_province_only_hazards_with_the_unassigned(land):
    rows = by_code(progress.summary(AS_OF, level=2)["remaining_by_admin_area"])
    assert list(rows) == ["PA1", "PA2", "PB1", ""]
    assert {code: row["remaining_m2"] for code, row in rows.items()} == {
        "PA1": 4_000,
        "PA2": 0,
        "PB1": 20_000,
        "": 7_000,
    }
    assert {code: row["hazard_count"] for code, row in rows.items()} == {
        "PA1": 1,
        "PA2": 1,
        "PB1": 1,
        "": 1,  # H5 (open); H3 (closed) is counted nowhere
    }
    assert rows["PA1"]["level"] == 2


def test_every_area_of_the_level_is_listed_even_without_hazards(land):
    factories.make_admin_area("PC", name="Gamma")
    rows = by_code(progress.summary(AS_OF)["remaining_by_admin_area"])
    assert rows["PC"]["remaining_m2"] == 0
    assert rows["PC"]["hazard_count"] == 0


def test_release_per_year_by_method_up_to_the_date(land):
    assert progress.summary(AS_OF)["released_by_year"] == [
        {"year": 2019, "cancelled_m2": 0, "reduced_m2": 0, "cleared_m2": 3_000, "total_m2": 3_000},
        {"year": 2020, "cancelled_m2": 0, "reduced_m2": 0, "cleared_m2": 3_000, "total_m2": 3_000},
        {"year": 2021, "cancelled_m2": 0, "reduced_m2": 2_000, "cleared_m2": 0, "total_m2": 2_000},
        {"year": 2022, "cancelled_m2": 4_000, "reduced_m2": 0, "cleared_m2": 0, "total_m2": 4_000},
        {
            "year": 2023,
            "cancelled_m2": 3_000,
            "reduced_m2": 0,
            "cleared_m2": 6_000,
            "total_m2": 9_000,
        },
        {"year": 2024, "cancelled_m2": 1_000, "reduced_m2": 0, "cleared_m2": 0, "total_m2": 1_000},
    ]


def test_milestones_are_met_not_met_or_not_finished(land):
    assert progress.summary(AS_OF)["milestones"] == [
        {"year": 2022, "planned_m2": 4_000, "actual_m2": 4_000, "met": True},
        {"year": 2023, "planned_m2": 10_000, "actual_m2": 9_000, "met": False},
        {"year": 2024, "planned_m2": 5_000, "actual_m2": 1_000, "met": None},
        {"year": 2030, "planned_m2": 1_000, "actual_m2": 0, "met": None},
    ]


def test_a_year_is_finished_on_its_last_day(land):
    milestones = progress.summary(datetime.date(2023, 12, 31))["milestones"]
    assert milestones[1] == {"year": 2023, "planned_m2": 10_000, "actual_m2": 9_000, "met": False}
    assert progress.summary(datetime.date(2023, 12, 30))["milestones"][1]["met"] is None


def test_devices_destroyed_up_to_the_date_in_category_order(land):
    devices = progress.summary(AS_OF)["devices_destroyed"]
    assert [row["category"] for row in devices] == [
        "ap_mine",
        "av_mine",
        "improvised_mine",
        "cmr",
        "uxo",
        "axo",
        "booby_trap",
        "other_erw",
    ]
    assert {row["category"]: row["count"] for row in devices if row["count"]} == {
        "ap_mine": 3,
        "av_mine": 2,
        "uxo": 1,
    }
    assert devices[0]["label"] == "Anti-personnel mine"
    before = progress.summary(datetime.date(2022, 12, 31))["devices_destroyed"]
    assert {row["category"]: row["count"] for row in before if row["count"]} == {"av_mine": 2}


def test_deadline_comes_from_the_country_profile_on_the_date(land):
    assert progress.summary(AS_OF)["deadline"] == {
        "date": DEADLINE,
        "days_left": (DEADLINE - AS_OF).days,
        "extension_count": 1,
    }


def test_deadline_is_empty_without_a_country_profile(db):
    assert progress.summary(AS_OF)["deadline"] == {
        "date": None,
        "days_left": None,
        "extension_count": None,
    }


def test_forecast_from_the_last_three_complete_years(land):
    forecast = progress.summary(AS_OF, capacity_change_percent=100)["forecast"]
    # 2021-2023 released 2,000, 4,000 and 9,000 m²: 5,000 a year on average; 31,000 m² left.
    assert forecast["basis_years"] == [2021, 2022, 2023]
    assert forecast["rate_m2_per_year"] == 5_000
    assert forecast["rate_low_m2_per_year"] == 2_000
    assert forecast["rate_high_m2_per_year"] == 9_000
    # 31,000 / 5,000 = 6.2 years of 365.25 days = 2,264.55 days, rounded to 2,265.
    assert forecast["completion_date"] == AS_OF + datetime.timedelta(days=2_265)
    assert forecast["completion_earliest"] == AS_OF + datetime.timedelta(days=1_258)
    assert forecast["completion_latest"] == AS_OF + datetime.timedelta(days=5_661)
    assert forecast["meets_deadline"] is False
    # Twice the capacity: 10,000 m² a year, 3.1 years = 1,132.275 days: before the deadline.
    assert forecast["scenario"] == {
        "capacity_change_percent": 100,
        "rate_m2_per_year": 10_000,
        "completion_date": AS_OF + datetime.timedelta(days=1_132),
        "meets_deadline": True,
    }


def test_no_scenario_unless_asked(land):
    assert progress.summary(AS_OF)["forecast"]["scenario"] is None


def test_figures_at_a_past_date(land):
    figures = progress.summary(datetime.date(2023, 6, 30))
    # H1 5,000, H2 0 (over-released on 5 May 2023), H3 2,000 (still open), H5 7,000; H4 was
    # not recorded yet and counts nowhere.
    assert figures["remaining_area_m2"] == 14_000
    assert figures["remaining_by_type"] == {"SHA": 0, "CHA": 14_000}
    assert [(row["status"], row["count"]) for row in figures["hazards_by_status"]] == [
        ("open", 4),
        ("closed", 0),
        ("handed_over", 1),
    ]
    beta = by_code(figures["remaining_by_admin_area"])["PB"]
    assert (beta["remaining_m2"], beta["hazard_count"]) == (0, 0)
    assert [row["year"] for row in figures["released_by_year"]] == [2019, 2020, 2021, 2022, 2023]
    assert figures["released_by_year"][-1]["total_m2"] == 9_000


def test_a_hazard_counts_once_recorded_and_a_release_on_its_end_date(land):
    assert progress.summary(datetime.date(2024, 2, 29))["remaining_area_m2"] == 11_000
    assert progress.summary(datetime.date(2024, 3, 1))["remaining_area_m2"] == 31_000
    assert progress.summary(datetime.date(2024, 1, 31))["remaining_area_m2"] == 12_000
    assert progress.summary(datetime.date(2025, 1, 10))["remaining_area_m2"] == 30_500


def test_before_any_record_everything_is_zero_and_there_is_no_forecast(land):
    figures = progress.summary(datetime.date(2009, 12, 31))
    assert figures["remaining_area_m2"] == 0
    assert [row["count"] for row in figures["hazards_by_status"]] == [0, 0, 0]
    assert figures["released_by_year"] == []
    assert figures["forecast"]["completion_date"] is None
    assert figures["forecast"]["basis_years"] == []
    assert figures["forecast"]["meets_deadline"] is None


def test_as_of_defaults_to_today(land):
    figures = progress.summary()
    assert figures["as_of"] == timezone.localdate()
    assert figures["remaining_area_m2"] == 30_500


def test_a_region_restricts_every_figure_and_takes_its_own_milestones(land):
    figures = progress.summary(AS_OF, admin_area=land["alpha"], level=2)
    assert figures["remaining_area_m2"] == 4_000
    assert figures["remaining_by_type"] == {"SHA": 0, "CHA": 4_000}
    assert [(row["status"], row["count"]) for row in figures["hazards_by_status"]] == [
        ("open", 2),
        ("closed", 1),
        ("handed_over", 1),
    ]
    # Only Alpha's districts, and H3 (in Alpha but no district) unassigned.
    rows = by_code(figures["remaining_by_admin_area"])
    assert list(rows) == ["PA1", "PA2", ""]
    assert rows[""]["remaining_m2"] == 0
    assert [row["total_m2"] for row in figures["released_by_year"]] == [
        3_000,
        3_000,
        2_000,
        4_000,
        9_000,
        1_000,
    ]
    assert figures["milestones"] == [
        {"year": 2023, "planned_m2": 8_000, "actual_m2": 9_000, "met": True}
    ]
    assert {row["category"]: row["count"] for row in figures["devices_destroyed"]}["uxo"] == 1


def test_a_region_shows_its_own_row_at_its_own_level_and_above(land):
    district = progress.summary(AS_OF, admin_area=land["beta_one"], level=1)
    assert [(row["code"], row["remaining_m2"]) for row in district["remaining_by_admin_area"]] == [
        ("PB", 20_000)
    ]
    assert district["milestones"] == []
    assert district["released_by_year"] == []
    assert district["forecast"]["completion_date"] is None


def test_a_level_must_be_one_to_four(land):
    with pytest.raises(ValueError):
        progress.summary(AS_OF, level=5)


def test_a_geometry_with_a_hole_counts_without_the_hole(db):
    outer = [[30.0, -18.0], [30.01, -18.0], [30.01, -17.99], [30.0, -17.99], [30.0, -18.0]]
    hole = [[30.004, -17.996], [30.006, -17.996], [30.006, -17.994], [30.004, -17.994]]
    hole.append(hole[0])
    hazard = factories.make_hazard(
        geometry_json={"type": "Polygon", "coordinates": [outer, hole]},
        date_recorded=datetime.date(2020, 1, 1),
    )
    geod = Geod(ellps="WGS84")
    expected = abs(geod.geometry_area_perimeter(Polygon(outer))[0]) - abs(
        geod.geometry_area_perimeter(Polygon(hole))[0]
    )
    assert hazard.recorded_area_m2 is None
    assert hazard.area_m2 == round(expected)
    factories.make_release(hazard, 1_000, datetime.date(2021, 1, 1))
    assert progress.summary(AS_OF)["remaining_area_m2"] == round(expected) - 1_000


def test_remaining_at_and_with_remaining_follow_the_same_rule(land):
    assert progress.remaining_at(AS_OF) == 31_000
    assert progress.remaining_at(AS_OF, admin_area=land["alpha_one"]) == 4_000
    hazards = progress.with_remaining(progress.hazards_at(AS_OF), AS_OF)
    assert dict(hazards.values_list("external_id", "remaining_m2")) == {
        "H1": 4_000,
        "H2": 0,
        "H3": 0,
        "H4": 20_000,
        "H5": 7_000,
        "H6": 0,
    }
    assert dict(hazards.values_list("external_id", "status_at"))["H3"] == "closed"
    past = progress.with_remaining(progress.hazards_at(datetime.date(2023, 6, 30)), AS_OF)
    assert "H4" not in set(past.values_list("external_id", flat=True))


@pytest.mark.parametrize("level", [1, 2])
def test_breakdown_is_the_same_when_every_admin_area_is_read(land, monkeypatch, level):
    expected = progress.summary(AS_OF, level=level)
    region = progress.summary(AS_OF, admin_area=land["alpha"], level=level)
    monkeypatch.setattr(progress, "MAX_LISTED_AREAS", 0)
    assert progress.summary(AS_OF, level=level) == expected
    assert progress.summary(AS_OF, admin_area=land["alpha"], level=level) == region
