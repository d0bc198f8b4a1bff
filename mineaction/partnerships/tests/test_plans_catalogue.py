"""The action plan catalogue's data: the data migration, loading it again, and
`mineaction load-action-plan FILE.csv` (every line or none)."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from mineaction.core.models import AuditEntry
from mineaction.partnerships import action_plan_data
from mineaction.partnerships.models import ActionPlan, PlanAction, PlanSection
from mineaction.partnerships.tests.partnerships_support import table_counts

HEADER = (
    "plan_code,plan_title,first_year,last_year,section_number,section_title,action_number,"
    "short_title\n"
)
MIGRATION = importlib.import_module("mineaction.partnerships.migrations.0002_action_plans")


def catalogue(code):
    """[(section number, title, [(action number, short title)])] of a plan, in order."""
    return [
        (
            section.number,
            section.title,
            [(a.number, a.short_title) for a in section.actions.order_by("number")],
        )
        for section in PlanSection.objects.filter(action_plan__code=code).order_by("order")
    ]


def data_catalogue(plan):
    return [
        (section["number"], section["title"], list(section["actions"]))
        for section in plan["sections"]
    ]


# The data migration ----------------------------------------------------------------------------


def test_the_data_migration_loads_both_plans_as_in_the_data(db):
    plans = {plan.code: plan for plan in ActionPlan.objects.all()}
    assert set(plans) == {"oslo-2020", "sraap-2025"}
    for plan_data in action_plan_data.PLANS:
        plan = plans[plan_data["code"]]
        assert (plan.title, plan.first_year, plan.last_year, plan.adopted_at) == (
            plan_data["title"],
            plan_data["first_year"],
            plan_data["last_year"],
            plan_data["adopted_at"],
        )
        assert catalogue(plan.code) == data_catalogue(plan_data)
    assert (plans["oslo-2020"].first_year, plans["oslo-2020"].last_year) == (2020, 2024)
    assert (plans["sraap-2025"].first_year, plans["sraap-2025"].last_year) == (2025, 2029)


def test_loading_the_data_again_changes_nothing(db):
    before = list(ActionPlan.objects.values_list("code", "title", "updated_at"))
    audit = AuditEntry.objects.count()
    tally = action_plan_data.load(action_plan_data.PLANS, apps)
    assert tally == {"plans": {"unchanged": 2}, "sections": {}, "actions": {}}
    assert list(ActionPlan.objects.values_list("code", "title", "updated_at")) == before
    assert AuditEntry.objects.count() == audit


def test_the_data_migration_goes_back_and_forth(db):
    MIGRATION.remove_action_plans(apps, None)
    assert not ActionPlan.objects.filter(code__in=["oslo-2020", "sraap-2025"]).exists()
    MIGRATION.load_action_plans(apps, None)
    assert sorted(ActionPlan.objects.values_list("code", flat=True)) == ["oslo-2020", "sraap-2025"]


PLAN_WITH_SECTIONS = {
    "code": "sample",
    "title": "Sample plan",
    "first_year": 2020,
    "last_year": 2024,
    "sections": [
        {"number": "II", "title": "Best practice", "actions": [(1, "Ownership"), (2, "Gender")]},
        {"number": "III", "title": "Universal adherence", "actions": [(3, "Outreach")]},
    ],
}


def test_the_loader_writes_sections_and_actions_once(db):
    first = action_plan_data.load([PLAN_WITH_SECTIONS], apps)
    assert first == {
        "plans": {"created": 1},
        "sections": {"created": 2},
        "actions": {"created": 3},
    }
    stamps = list(PlanAction.objects.order_by("number").values_list("number", "updated_at"))
    audit = AuditEntry.objects.count()
    second = action_plan_data.load([PLAN_WITH_SECTIONS], apps)
    assert second == {
        "plans": {"unchanged": 1},
        "sections": {"unchanged": 2},
        "actions": {"unchanged": 3},
    }
    assert list(PlanAction.objects.order_by("number").values_list("number", "updated_at")) == stamps
    assert AuditEntry.objects.count() == audit
    assert catalogue("sample") == [
        ("II", "Best practice", [(1, "Ownership"), (2, "Gender")]),
        ("III", "Universal adherence", [(3, "Outreach")]),
    ]


# The CSV command -------------------------------------------------------------------------------


def write(tmp_path, text, name="plan.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def run_load(path):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("load-action-plan", path, stdout=stdout, stderr=stderr)
    return stdout.getvalue().splitlines(), stderr.getvalue()


def refused_load(path):
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("load-action-plan", path, stdout=stdout, stderr=stderr)
    assert error.value.returncode == 1
    return str(error.value), stderr.getvalue().splitlines()


GOOD = HEADER + (
    "test-2020,Test Action Plan,2020,2024,II,Best practices,1,National ownership\n"
    "test-2020,Test Action Plan,2020,2024,II,Best practices,2,Gender and diversity\n"
    'test-2020,Test Action Plan,2020,2024,III,"Universal adherence, norms",3,Outreach\n'
)


def test_the_command_loads_a_plan(db, tmp_path):
    out, err = run_load(write(tmp_path, "\ufeff" + GOOD))
    assert out == [
        "Action plans: 1 created, 0 updated, 0 unchanged.",
        "Sections: 2 created, 0 updated, 0 unchanged.",
        "Actions: 3 created, 0 updated, 0 unchanged.",
    ]
    assert err == ""
    plan = ActionPlan.objects.get(code="test-2020")
    assert (plan.title, plan.first_year, plan.last_year) == ("Test Action Plan", 2020, 2024)
    assert catalogue("test-2020") == [
        ("II", "Best practices", [(1, "National ownership"), (2, "Gender and diversity")]),
        ("III", "Universal adherence, norms", [(3, "Outreach")]),
    ]


def test_loading_the_same_file_again_changes_nothing(db, tmp_path):
    path = write(tmp_path, GOOD)
    run_load(path)
    before = table_counts()
    stamps = list(PlanAction.objects.order_by("number").values_list("updated_at", flat=True))
    out, _err = run_load(path)
    assert out == [
        "Action plans: 0 created, 0 updated, 1 unchanged.",
        "Sections: 0 created, 0 updated, 2 unchanged.",
        "Actions: 0 created, 0 updated, 3 unchanged.",
    ]
    assert table_counts() == before
    assert (
        list(PlanAction.objects.order_by("number").values_list("updated_at", flat=True)) == stamps
    )


def test_a_corrected_file_updates_titles_moves_actions_and_keeps_what_the_state_set(db, tmp_path):
    run_load(write(tmp_path, GOOD))
    PlanAction.objects.filter(number=2).update(applies_to_state=False)
    corrected = HEADER + (
        'test-2020,Test Action Plan,2020,2024,III,"Universal adherence, norms",3,Outreach\n'
        'test-2020,Test Action Plan,2020,2024,III,"Universal adherence, norms",2,Gender\n'
        "test-2020,Test Action Plan,2020,2024,II,Best practices,1,National ownership\n"
    )
    out, _err = run_load(write(tmp_path, corrected, name="corrected.csv"))
    assert out == [
        "Action plans: 0 created, 0 updated, 1 unchanged.",
        "Sections: 0 created, 2 updated, 0 unchanged.",
        "Actions: 0 created, 1 updated, 2 unchanged.",
    ]
    assert catalogue("test-2020") == [
        ("III", "Universal adherence, norms", [(2, "Gender"), (3, "Outreach")]),
        ("II", "Best practices", [(1, "National ownership")]),
    ]
    assert PlanAction.objects.get(number=2).applies_to_state is False


def test_actions_the_file_leaves_out_are_kept(db, tmp_path):
    run_load(write(tmp_path, GOOD))
    shorter = HEADER + "test-2020,Test Action Plan,2020,2024,II,Best practices,1,Ownership\n"
    run_load(write(tmp_path, shorter, name="shorter.csv"))
    assert catalogue("test-2020") == [
        ("II", "Best practices", [(1, "Ownership"), (2, "Gender and diversity")]),
        ("III", "Universal adherence, norms", [(3, "Outreach")]),
    ]


def test_a_broken_file_reports_each_bad_line_and_loads_nothing(db, tmp_path):
    before = table_counts()
    broken = HEADER + (
        "test-2020,Test Action Plan,2020,2024,II,Best practices,1,National ownership\n"
        "test-2020,Test Action Plan,20x0,2024,II,Best practices,2,Gender\n"
        "test-2020,Test Action Plan,2020,2024,II,Best practices,1,Again\n"
        "test-2020,Another title,2020,2024,II,Best practices,4,Outreach\n"
        "test-2020,Test Action Plan,2020,2024,II,Other title,5,Stockpiles\n"
        "test-2020,Test Action Plan,2020,2024,III,Universal adherence,six,Norms\n"
        "Bad Code!,Test Action Plan,2024,2020,I,Intro,7,\n"
        "test-2020,Test Action Plan,2020,2024,II,Best practices,8,Too,many\n"
    )
    message, lines = refused_load(write(tmp_path, broken))
    assert message == "The file was refused (7 errors); nothing was loaded."
    assert lines == [
        "line 3: first_year: “20x0” is not a whole number.",
        "line 4: Action 1 is already on line 2.",
        "line 5: The plan's title or years differ from line 2.",
        "line 6: Section II has another title on line 2.",
        "line 7: action_number: “six” is not a whole number.",
        "line 8: short_title: this value is required. plan_code: use at most 20 lowercase "
        "letters, digits, hyphens or underscores. last_year: the plan cannot end before its "
        "first year.",
        "line 9: This line has more values than the header.",
    ]
    assert table_counts() == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b"plan_code,plan_title,section_number\nx,y,I\n",
            [
                "line 1: The header lacks the columns: first_year, last_year, section_title, "
                "action_number, short_title. It needs: plan_code, plan_title, first_year, "
                "last_year, section_number, section_title, action_number, short_title."
            ],
        ),
        (HEADER.encode(), ["file: The file has no actions."]),
        (
            (HEADER + "test,Plan é,2020,2024,I,Intro,1,One\n").encode("latin-1"),
            ["file: The file is not UTF-8 text."],
        ),
    ],
)
def test_a_file_that_is_not_a_plan_is_refused(db, tmp_path, content, expected):
    path = tmp_path / "plan.csv"
    path.write_bytes(content)
    before = table_counts()
    message, lines = refused_load(str(path))
    assert message == "The file was refused (1 error); nothing was loaded."
    assert lines == expected
    assert table_counts() == before


def test_a_missing_file_is_named(db, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("load-action-plan", str(tmp_path / "nowhere.csv"))
    assert str(error.value) == f"There is no file {tmp_path / 'nowhere.csv'}."
