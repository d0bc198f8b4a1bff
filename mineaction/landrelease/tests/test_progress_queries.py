"""The summary runs the same number of queries whatever the number of hazard areas, releases,
years and admin areas: the arithmetic is in the database, not in a loop over records."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mineaction.landrelease.models import HazardStatus, HazardType, ReleaseMethod
from mineaction.landrelease.services import progress
from mineaction.landrelease.tests import factories

AS_OF = datetime.date(2024, 6, 30)
URL = "/api/v1/article5/summary"


def add_land(count, provinces, milestone_years):
    """`count` hazard areas over the provinces' districts, with three releases each over
    several years, and national and regional milestones for `milestone_years`."""
    districts = [
        factories.make_admin_area(level=2, parent=province)
        for province in provinces
        for _number in range(2)
    ]
    for number in range(count):
        hazard = factories.make_hazard(
            hazard_type=HazardType.SHA if number % 2 else HazardType.CHA,
            status=HazardStatus.CLOSED if number % 5 == 0 else HazardStatus.OPEN,
            closed_on=datetime.date(2022, 1, 1) if number % 5 == 0 else None,
            admin_area=districts[number % len(districts)] if number % 7 else None,
            recorded_area_m2=10_000 + number,
            date_recorded=datetime.date(2012 + number % 10, 1, 1),
        )
        for year, method in zip((2019, 2021, 2023), ReleaseMethod.values, strict=True):
            factories.make_release(
                hazard, 1_000, datetime.date(year, 1 + number % 12, 1), method=method
            )
    for year in milestone_years:
        factories.make_milestone(year, 20_000)
        factories.make_milestone(year, 10_000, admin_area=provinces[0])


def queries_of(run):
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"level": 2},
        {"capacity_change_percent": 50},
        {"as_of": datetime.date(2020, 1, 1)},
    ],
)
def test_summary_queries_stay_flat_as_the_data_grows(country, options):
    provinces = [factories.make_admin_area(), factories.make_admin_area()]
    add_land(5, provinces, [2018])
    options = {"as_of": AS_OF, **options}
    small = queries_of(lambda: progress.summary(**options))
    add_land(
        45,
        [*provinces, factories.make_admin_area(), factories.make_admin_area()],
        range(2019, 2030),
    )
    assert queries_of(lambda: progress.summary(**options)) == small
    region = {**options, "admin_area": provinces[0]}
    assert queries_of(lambda: progress.summary(**region)) == small


def test_summary_reads_in_six_queries(country):
    add_land(5, [factories.make_admin_area()], [2018])
    with CaptureQueriesContext(connection) as captured:
        progress.summary(AS_OF)
    statements = [query["sql"] for query in captured if "mineaction_cache" not in query["sql"]]
    reads = [sql for sql in statements if sql.startswith("SELECT")]
    # Remaining area, release by year, admin areas, milestones, profile, deadline changes (on
    # PostgreSQL each of the two passes switches the JIT compiler off first).
    assert len(reads) == 6
    jit_off = sum("jit = off" in sql for sql in statements)
    assert jit_off == (2 if connection.vendor == "postgresql" else 0)


def _reads_land(captured):
    tables = ('"landrelease_hazardarea"', '"landrelease_landrelease"')
    return [query["sql"] for query in captured if any(table in query["sql"] for table in tables)]


def test_the_figures_come_from_the_cache_until_the_data_changes(country):
    hazard = factories.make_hazard(recorded_area_m2=10_000, date_recorded=datetime.date(2020, 1, 1))
    first = progress.summary(AS_OF)
    assert first["remaining_area_m2"] == 10_000
    with CaptureQueriesContext(connection) as captured:
        again = progress.summary(AS_OF)
    assert again == first
    assert _reads_land(captured) == []

    factories.make_release(hazard, 2_500, datetime.date(2023, 5, 1))
    assert progress.summary(AS_OF)["remaining_area_m2"] == 7_500
    hazard.releases.get().delete()
    assert progress.summary(AS_OF)["remaining_area_m2"] == 10_000
    hazard.recorded_area_m2 = 8_000
    hazard.area_m2 = 8_000
    hazard.save()
    assert progress.summary(AS_OF)["remaining_area_m2"] == 8_000


def test_an_import_drops_the_cached_figures(country, tmp_path):
    from mineaction.landrelease.importers import run_import

    hazard = factories.make_hazard("HZ-1", recorded_area_m2=10_000)
    assert progress.summary(AS_OF)["remaining_area_m2"] == 10_000
    path = tmp_path / "releases.csv"
    path.write_text(
        "external_id,hazard_external_id,method,area_m2,end_date\nR-1,HZ-1,cleared,4000,2023-05-01\n"
    )
    report = run_import("releases", path)
    assert report.ok, report.errors
    assert progress.summary(AS_OF)["remaining_area_m2"] == 6_000
    assert hazard.releases.count() == 1


def test_api_queries_stay_flat_as_the_data_grows(clients):
    provinces = [factories.make_admin_area("QA"), factories.make_admin_area("QB")]
    add_land(5, provinces, [2018])
    client = clients["member"]
    query = {"as_of": "2024-06-30", "admin_area": "QA", "level": "2"}
    small = queries_of(lambda: client.get(URL, query))
    add_land(45, provinces, range(2019, 2030))
    assert queries_of(lambda: client.get(URL, query)) == small


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_forgets_the_cached_figures():
    from django.core.management import call_command

    factories.make_hazard(recorded_area_m2=10_000, date_recorded=datetime.date(2020, 1, 1))
    assert progress.summary(AS_OF)["remaining_area_m2"] == 10_000
    call_command("flush", interactive=False, verbosity=0)  # empties every table but the cache
    assert progress.summary(AS_OF)["remaining_area_m2"] == 0
