"""The IMAS catalogue pages and `mineaction import-imas FILE.csv` (all rows or none)."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from mineaction.policies.models import ImasStandard
from mineaction.policies.tests.factories import make_chapter, make_imas
from mineaction.stakeholders.tests.helpers import (
    CREATE_ACCESS,
    EDIT_ACCESS,
    LIST_ACCESS,
    assert_outcome,
)

LIST_URL = reverse("policies:imas_list")
CREATE_URL = reverse("policies:imas_create")
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)
HEADER = "reference,title,edition,edition_date\n"


def edit_url(standard):
    return reverse("policies:imas_edit", args=[standard.public_id])


def catalogue():
    return list(
        ImasStandard.objects.order_by("reference").values_list(
            "reference", "title", "edition", "edition_date"
        )
    )


@pytest.fixture
def land_release(db):
    return make_imas("07.11", title="Land release", edition_date=datetime.date(2019, 2, 1))


# Pages -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "expected"), LIST_ACCESS.items())
def test_catalogue_is_read_by_members(clients, land_release, persona, expected):
    assert_outcome(clients[persona].get(LIST_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), CREATE_ACCESS.items())
def test_adding_an_imas_is_for_managers(clients, persona, expected):
    assert_outcome(clients[persona].get(CREATE_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), EDIT_ACCESS.items())
def test_editing_an_imas_is_for_managers(clients, land_release, persona, expected):
    assert_outcome(clients[persona].get(edit_url(land_release)), expected)


def test_catalogue_lists_each_imas_with_its_chapters(clients, land_release):
    make_chapter("Land release", land_release, followed=datetime.date(2019, 2, 1))
    response = clients["observer"].get(LIST_URL)
    (standard,) = response.context["catalogue"]
    assert (standard.reference, standard.chapter_count) == ("07.11", 1)
    assert edit_url(land_release) not in response.text
    assert edit_url(land_release) in clients["secretariat"].get(LIST_URL).text


def test_manager_adds_an_imas_written_with_its_prefix(clients):
    response = clients["lead_authority"].post(
        CREATE_URL,
        {
            "reference": " IMAS 09.10 ",
            "title": "Clearance requirements",
            "edition": "Edition 2, Amendment 4",
            "edition_date": "2020-04-01",
        },
    )
    assert response.status_code == 302
    assert response.url == LIST_URL
    assert catalogue() == [
        ("09.10", "Clearance requirements", "Edition 2, Amendment 4", datetime.date(2020, 4, 1))
    ]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"reference": "9.1"},
            {"reference": ["Enter an IMAS number as two pairs of digits, such as 07.11."]},
        ),
        ({"reference": "07.11"}, {"reference": ["IMAS with this IMAS number already exists."]}),
        (
            {"edition_date": TOMORROW.isoformat()},
            {"edition_date": ["The date of an edition cannot be in the future."]},
        ),
        (
            {"edition_date": "01/04/2020"},
            {"edition_date": ["Enter the date as YYYY-MM-DD, such as 2024-03-31."]},
        ),
        (
            {"title": "", "edition": ""},
            {"title": ["This field is required."], "edition": ["This field is required."]},
        ),
    ],
)
def test_bad_imas_is_refused_and_nothing_saved(clients, land_release, changes, errors):
    before = catalogue()
    data = {
        "reference": "09.10",
        "title": "Clearance",
        "edition": "Edition 2",
        "edition_date": "2020-04-01",
    }
    response = clients["secretariat"].post(CREATE_URL, data | changes)
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert catalogue() == before


def test_an_edition_cannot_become_older_than_a_chapter_following_it(clients, land_release):
    make_chapter(
        "Land release", land_release, followed=datetime.date(2019, 2, 1), reference="NMAS 07.11"
    )
    before = catalogue()
    response = clients["secretariat"].post(
        edit_url(land_release),
        {
            "reference": "07.11",
            "title": "Land release",
            "edition": "Edition 1",
            "edition_date": "2018-01-01",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "edition_date": [
            "NMAS chapter NMAS 07.11 Land release follows an edition dated Feb. 1, 2019, later "
            "than this date."
        ]
    }
    assert catalogue() == before


def test_readers_cannot_change_the_catalogue(clients, land_release):
    before = catalogue()
    data = {
        "reference": "09.10",
        "title": "Clearance",
        "edition": "E2",
        "edition_date": "2020-04-01",
    }
    assert clients["member"].post(CREATE_URL, data).status_code == 403
    assert clients["member"].post(edit_url(land_release), data).status_code == 403
    assert catalogue() == before


# The import command ----------------------------------------------------------------------------


def write(tmp_path, text, name="imas.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def run_import(path):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import-imas", path, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def refused_import(path):
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import-imas", path, stdout=stdout, stderr=stderr)
    assert error.value.returncode == 1
    return str(error.value), stderr.getvalue().splitlines()


def test_import_creates_the_catalogue(db, tmp_path):
    path = write(
        tmp_path,
        "\ufeff" + HEADER + "07.11,Land release,Edition 1 Amendment 2,2019-02-01\n"
        'IMAS 09.10,"Clearance requirements, general",Edition 2,2020-04-01\n',
    )
    out, err = run_import(path)
    assert out.strip() == "IMAS catalogue: 2 created, 0 updated, 0 unchanged."
    assert err == ""
    assert catalogue() == [
        ("07.11", "Land release", "Edition 1 Amendment 2", datetime.date(2019, 2, 1)),
        ("09.10", "Clearance requirements, general", "Edition 2", datetime.date(2020, 4, 1)),
    ]


def test_reimport_matches_rows_by_reference_and_updates(db, tmp_path, land_release):
    make_imas("09.10", title="Clearance", edition_date=datetime.date(2020, 4, 1))
    path = write(
        tmp_path,
        "Reference , Title,EDITION,edition_date,notes\n"
        "07.11,Land release,Edition 2,2023-06-01,new edition\n"
        "09.10,Clearance,Edition 2,2020-04-01,\n"
        ",,,,\n"
        "10.10,Safety and occupational health,Edition 2,2021-03-01,\n",
    )
    out, _err = run_import(path)
    assert out.strip() == "IMAS catalogue: 1 created, 1 updated, 1 unchanged."
    assert catalogue() == [
        ("07.11", "Land release", "Edition 2", datetime.date(2023, 6, 1)),
        ("09.10", "Clearance", "Edition 2", datetime.date(2020, 4, 1)),
        ("10.10", "Safety and occupational health", "Edition 2", datetime.date(2021, 3, 1)),
    ]
    assert ImasStandard.objects.get(reference="07.11").pk == land_release.pk


def test_a_broken_file_reports_every_bad_row_and_imports_nothing(db, tmp_path, land_release):
    before = catalogue()
    path = write(
        tmp_path,
        HEADER + "09.10,Clearance,Edition 2,2020-04-01\n"
        "7.11,Land release,Edition 2,2023-06-01\n"
        "10.10,,Edition 2,01/03/2021\n"
        f"12.10,Risk education,Edition 1,{TOMORROW.isoformat()}\n"
        "09.10,Clearance again,Edition 3,2021-01-01\n"
        "13.10,Victim assistance,Edition 1,2021-01-01,extra\n",
    )
    message, lines = refused_import(path)
    assert message == "The file was refused (5 errors); nothing was imported."
    assert lines == [
        "line 3: reference: Enter an IMAS number as two pairs of digits, such as 07.11.",
        "line 4: title: This field is required. edition_date: Enter the date as YYYY-MM-DD, "
        "such as 2024-03-31.",
        "line 5: edition_date: The date of an edition cannot be in the future.",
        "line 6: IMAS 09.10 is already on line 2.",
        "line 7: This line has more values than the header.",
    ]
    assert catalogue() == before


def test_a_file_without_the_columns_is_refused(db, tmp_path):
    message, lines = refused_import(write(tmp_path, "number,title,date\n07.11,Land release,2019\n"))
    assert message == "The file was refused (1 error); nothing was imported."
    assert lines == [
        "line 1: The header lacks the columns: reference, edition, edition_date. It needs: "
        "reference, title, edition, edition_date."
    ]
    assert catalogue() == []


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (HEADER, "file: The file has no IMAS rows."),
        (
            "",
            "line 1: The header lacks the columns: reference, title, edition, edition_date. It "
            "needs: reference, title, edition, edition_date.",
        ),
    ],
)
def test_an_empty_file_is_refused(db, tmp_path, content, line):
    _message, lines = refused_import(write(tmp_path, content))
    assert lines == [line]


def test_a_file_that_is_not_utf8_is_refused(db, tmp_path):
    path = write(tmp_path, HEADER + "07.11,Déminage,Édition 1,2019-02-01\n", encoding="latin-1")
    _message, lines = refused_import(path)
    assert lines == ["file: The file is not UTF-8 text."]
    assert catalogue() == []


def test_a_missing_file_is_an_error(db, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("import-imas", str(tmp_path / "missing.csv"))
    assert str(error.value) == f"There is no file {tmp_path / 'missing.csv'}."


def test_import_refuses_an_edition_older_than_a_chapter_follows(db, tmp_path, land_release):
    make_chapter(
        "Land release", land_release, followed=datetime.date(2019, 2, 1), reference="NMAS 07.11"
    )
    _message, lines = refused_import(
        write(tmp_path, HEADER + "07.11,Land release,Ed 1,2018-01-01\n")
    )
    assert lines == [
        "line 2: edition_date: NMAS chapter NMAS 07.11 Land release follows an edition dated "
        "Feb. 1, 2019, later than this date."
    ]
    assert catalogue() == [("07.11", "Land release", "Edition 2", datetime.date(2019, 2, 1))]
