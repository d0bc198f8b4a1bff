"""The Convention's action plans as the catalogue's data, and the loader that writes them.

Each plan: its code (the catalogue's key), title, years, where it was adopted, and its sections
(number, title) with their actions (number, a short title in our own words: a few words saying
what the action is about, never the official text). The data migration `0002_action_plans`
and `mineaction load-action-plan FILE.csv` write plans through `load`, matching plans by code,
sections by number and actions by plan and number, so loading again updates and never
duplicates.

Sources and what was checked
----------------------------
Oslo Action Plan 2020–2024: document APLC/CONF/2019/5/Add.1, "as adopted at the final plenary
meeting on 29 November 2019" of the Fourth Review Conference (Oslo, 25–29 November 2019); it
has 50 actions (ICBL's report of the conference: "adopted 50 action points"); its part I is the
introduction and part II starts the actions with best practices for implementing the
Convention; it has a chapter on mine risk education and reduction with five actions (Journal of
Conventional Weapons Destruction, vol. 25, issue 2). The boundaries of its sections and the
subject of each action number could NOT be checked against the adopted text when this catalogue
was written, so no section or action is loaded here: a wrong number would mislead everyone who
reports against it.

Siem Reap–Angkor Action Plan 2025–2029: adopted on 29 November 2024 at the Fifth Review
Conference (the Siem Reap–Angkor Summit on a Mine-Free World, Siem Reap, 25–29 November 2024).
Its sections and action numbers could NOT be checked either; none is loaded here.

To complete the catalogue, prepare a CSV file from the plan's adopted text (the Convention's
website, apminebanconvention.org, publishes both) with the columns plan_code, plan_title,
first_year, last_year, section_number, section_title, action_number, short_title (one line per
action, the plan codes below) and load it with `mineaction load-action-plan FILE.csv`. Once the
numbering is checked, it may also be added to `sections` below so that new installations get
it from the data migration.
"""

from django.db.models import F

OSLO = "oslo-2020"
SIEM_REAP_ANGKOR = "sraap-2025"

PLANS = [
    {
        "code": OSLO,
        "title": "Oslo Action Plan 2020–2024",
        "first_year": 2020,
        "last_year": 2024,
        "adopted_at": ("Fourth Review Conference, Oslo, 29 November 2019 (APLC/CONF/2019/5/Add.1)"),
        # Not checked against the adopted text: see the module's docstring.
        "sections": [],
    },
    {
        "code": SIEM_REAP_ANGKOR,
        "title": "Siem Reap–Angkor Action Plan 2025–2029",
        "first_year": 2025,
        "last_year": 2029,
        "adopted_at": (
            "Fifth Review Conference (Siem Reap–Angkor Summit on a Mine-Free World), "
            "Siem Reap, 29 November 2024"
        ),
        # Not checked against the adopted text: see the module's docstring.
        "sections": [],
    },
]

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def _tally():
    return {"plans": {}, "sections": {}, "actions": {}}


def _count(tally, kind, outcome):
    tally[kind][outcome] = tally[kind].get(outcome, 0) + 1


def _save_changes(record, values):
    """Set `values` on `record` and save it when one differs; CREATED/UPDATED/UNCHANGED."""
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    if not changed:
        return UNCHANGED
    for name in changed:
        setattr(record, name, values[name])
    record.save()
    return UPDATED


def _load_plan(plan_data, apps, tally):
    ActionPlan = apps.get_model("partnerships", "ActionPlan")  # noqa: N806 (a model class)
    values = {name: plan_data[name] for name in ("title", "first_year", "last_year")}
    if plan_data.get("adopted_at"):
        values["adopted_at"] = plan_data["adopted_at"]
    plan = ActionPlan.objects.filter(code=plan_data["code"]).first()
    if plan is None:
        plan = ActionPlan.objects.create(code=plan_data["code"], **values)
        _count(tally, "plans", CREATED)
    else:
        _count(tally, "plans", _save_changes(plan, values))
    sections = _load_sections(plan, plan_data["sections"], apps, tally)
    _load_actions(plan, plan_data["sections"], sections, apps, tally)


def _load_sections(plan, sections_data, apps, tally):
    """{number: section} after writing the sections in the order of `sections_data`; sections
    of the plan that the data does not name keep their place after them."""
    PlanSection = apps.get_model("partnerships", "PlanSection")  # noqa: N806 (a model class)
    existing = {section.number: section for section in PlanSection.objects.filter(action_plan=plan)}
    numbers = [section["number"] for section in sections_data]
    others = sorted(
        (section for number, section in existing.items() if number not in numbers),
        key=lambda section: section.order,
    )
    wanted = {number: order for order, number in enumerate(numbers, start=1)}
    wanted.update({section.number: len(numbers) + i for i, section in enumerate(others, 1)})
    original = {number: section.order for number, section in existing.items()}
    reordered = any(original[number] != wanted[number] for number in existing)
    if reordered:
        # Orders are unique per plan: move them all out of the way first (one statement whose
        # new values are all above every old one, so no two rows meet even midway).
        offset = max(original.values()) + len(wanted) + 1
        PlanSection.objects.filter(action_plan=plan).update(order=F("order") + offset)
        for section in others:
            section.order = wanted[section.number]
            section.save()
    for section_data in sections_data:
        number, title = section_data["number"], section_data["title"]
        section = existing.get(number)
        if section is None:
            existing[number] = PlanSection.objects.create(
                action_plan=plan, number=number, title=title, order=wanted[number]
            )
            _count(tally, "sections", CREATED)
            continue
        changed = section.title != title or original[number] != wanted[number]
        if changed or reordered:
            section.title, section.order = title, wanted[number]
            section.save()
        _count(tally, "sections", UPDATED if changed else UNCHANGED)
    return existing


def _load_actions(plan, sections_data, sections, apps, tally):
    PlanAction = apps.get_model("partnerships", "PlanAction")  # noqa: N806 (a model class)
    existing = {
        action.number: action for action in PlanAction.objects.filter(section__action_plan=plan)
    }
    for section_data in sections_data:
        section = sections[section_data["number"]]
        for number, short_title in section_data["actions"]:
            values = {"section_id": section.pk, "short_title": short_title}
            action = existing.get(number)
            if action is None:
                PlanAction.objects.create(number=number, **values)
                _count(tally, "actions", CREATED)
            else:
                _count(tally, "actions", _save_changes(action, values))


def load(plans, apps):
    """Write `plans` (shaped as `PLANS`) to the catalogue; `apps` gives the models (a
    migration's historical apps, or `django.apps.apps`). A manager's own changes to an action
    (whether it applies to the State) are kept; short titles are those of the data.

    Returns {"plans"|"sections"|"actions": {"created"|"updated"|"unchanged": count}}."""
    tally = _tally()
    for plan_data in plans:
        _load_plan(plan_data, apps, tally)
    return tally
