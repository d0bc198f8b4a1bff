"""Property-based tests of the area arithmetic: on random hazard areas and releases, the summary
agrees at every date with a plain-Python statement of the rule, its breakdowns add up to the
total, nothing is negative, and the remaining area never grows when no hazard area is added."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mineaction.landrelease.models import HazardStatus, HazardType, ReleaseMethod
from mineaction.landrelease.services import progress
from mineaction.landrelease.tests import factories

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIRST, LAST = datetime.date(2014, 1, 1), datetime.date(2026, 12, 31)
DATES = st.dates(FIRST, LAST)
# Where a hazard area lies: nowhere, a province, or a district of the first province.
PLACES = [None, "P1", "D11", "D12", "P2"]
# The province each place rolls up to at levels 1 and 2 ("" = unassigned).
ROLL_UP = {
    1: {None: "", "P1": "P1", "D11": "P1", "D12": "P1", "P2": "P2"},
    2: {None: "", "P1": "", "D11": "D11", "D12": "D12", "P2": ""},
}


@st.composite
def hazards(draw, recorded=DATES):
    status = draw(st.sampled_from(HazardStatus.values))
    return {
        "area": draw(st.integers(1, 20_000)),
        "type": draw(st.sampled_from(HazardType.values)),
        "status": status,
        "closed_on": None if status == HazardStatus.OPEN else draw(DATES),
        "recorded": draw(recorded),
        "place": draw(st.sampled_from(PLACES)),
    }


@st.composite
def land(draw, recorded=DATES):
    hazard_list = draw(st.lists(hazards(recorded), min_size=1, max_size=6))
    releases = draw(
        st.lists(
            st.tuples(
                st.integers(0, len(hazard_list) - 1),
                st.integers(1, 9_000),
                DATES,
                st.sampled_from(ReleaseMethod.values),
            ),
            max_size=14,
        )
    )
    return hazard_list, releases


def remaining_by_rule(hazard, releases, as_of):
    """The rule of issue 4, plainly: None when not recorded yet."""
    if hazard["recorded"] > as_of:
        return None
    if hazard["status"] != HazardStatus.OPEN and hazard["closed_on"] <= as_of:
        return 0
    released = sum(area for _index, area, end, _method in releases if end <= as_of)
    return max(hazard["area"] - released, 0)


def store(hazard_list, releases):
    p1 = factories.make_admin_area("P1", name="Province one")
    places = {
        None: None,
        "P1": p1,
        "D11": factories.make_admin_area("D11", name="District one", level=2, parent=p1),
        "D12": factories.make_admin_area("D12", name="District two", level=2, parent=p1),
        "P2": factories.make_admin_area("P2", name="Province two"),
    }
    stored = [
        factories.make_hazard(
            hazard_type=hazard["type"],
            status=hazard["status"],
            closed_on=hazard["closed_on"],
            admin_area=places[hazard["place"]],
            recorded_area_m2=hazard["area"],
            date_recorded=hazard["recorded"],
        )
        for hazard in hazard_list
    ]
    for index, area, end, method in releases:
        factories.make_release(stored[index], area, end, method=method)
    return places


def releases_of(index, releases):
    return [release for release in releases if release[0] == index]


def expected_figures(hazard_list, releases, as_of):
    total, by_type, by_status = 0, dict.fromkeys(HazardType.values, 0), {}
    by_area = {1: {}, 2: {}}
    for index, hazard in enumerate(hazard_list):
        remaining = remaining_by_rule(hazard, releases_of(index, releases), as_of)
        if remaining is None:
            continue
        closed = hazard["status"] != HazardStatus.OPEN and hazard["closed_on"] <= as_of
        status = hazard["status"] if closed else HazardStatus.OPEN
        total += remaining
        by_type[hazard["type"]] += remaining
        by_status[status] = by_status.get(status, 0) + 1
        for level in (1, 2):
            code = ROLL_UP[level][hazard["place"]]
            by_area[level][code] = by_area[level].get(code, 0) + remaining
    return total, by_type, by_status, by_area


@EXAMPLES
@given(land(), st.lists(DATES, min_size=1, max_size=4))
def test_summary_follows_the_rule_at_every_date(data, dates):
    hazard_list, releases = data
    with transaction.atomic():
        store(hazard_list, releases)
        for as_of in dates:
            total, by_type, by_status, by_area = expected_figures(hazard_list, releases, as_of)
            figures = progress.summary(as_of)
            assert figures["remaining_area_m2"] == total >= 0
            assert figures["remaining_by_type"] == by_type
            assert sum(figures["remaining_by_type"].values()) == total
            counts = {row["status"]: row["count"] for row in figures["hazards_by_status"]}
            assert counts == {status: by_status.get(status, 0) for status in HazardStatus.values}
            assert sum(row["remaining_m2"] for row in figures["hazards_by_status"]) == total
            for level in (1, 2):
                rows = progress.summary(as_of, level=level)["remaining_by_admin_area"]
                assert all(row["remaining_m2"] >= 0 for row in rows)
                assert sum(row["remaining_m2"] for row in rows) == total
                assert sum(row["sha_m2"] + row["cha_m2"] for row in rows) == total
                found = {row["code"]: row["remaining_m2"] for row in rows if row["remaining_m2"]}
                assert found == {code: m2 for code, m2 in by_area[level].items() if m2}
        transaction.set_rollback(True)


@EXAMPLES
@given(land(), DATES)
def test_a_region_holds_exactly_its_hazard_areas(data, as_of):
    hazard_list, releases = data
    with transaction.atomic():
        places = store(hazard_list, releases)
        expected = expected_figures(hazard_list, releases, as_of)[3][1]
        national = progress.summary(as_of)
        regions = [progress.summary(as_of, admin_area=places[code]) for code in ("P1", "P2")]
        for code, figures in zip(("P1", "P2"), regions, strict=True):
            assert figures["remaining_area_m2"] == expected.get(code, 0)
        unassigned = expected.get("", 0)
        assert (
            sum(f["remaining_area_m2"] for f in regions) + unassigned
            == national["remaining_area_m2"]
        )
        released = sum(row["total_m2"] for f in regions for row in f["released_by_year"])
        placed = sum(
            area
            for index, area, end, _method in releases
            if end <= as_of and hazard_list[index]["place"] is not None
        )
        assert released == placed
        transaction.set_rollback(True)


@EXAMPLES
@given(land(recorded=st.just(FIRST)), st.lists(DATES, min_size=2, max_size=5))
def test_remaining_never_grows_when_no_hazard_area_is_added(data, dates):
    hazard_list, releases = data
    with transaction.atomic():
        store(hazard_list, releases)
        totals = [progress.summary(as_of)["remaining_area_m2"] for as_of in sorted(dates)]
        assert totals == sorted(totals, reverse=True)
        transaction.set_rollback(True)


@EXAMPLES
@given(land(), DATES)
def test_release_per_year_adds_up_to_the_release_by_the_date(data, as_of):
    hazard_list, releases = data
    with transaction.atomic():
        store(hazard_list, releases)
        rows = progress.summary(as_of)["released_by_year"]
        for row in rows:
            assert row["total_m2"] == row["cancelled_m2"] + row["reduced_m2"] + row["cleared_m2"]
        assert sum(row["total_m2"] for row in rows) == sum(
            area for _index, area, end, _method in releases if end <= as_of
        )
        transaction.set_rollback(True)
