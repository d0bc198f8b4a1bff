"""The timeline: a Gantt-like SVG drawn on the server, mirrored in right-to-left languages,
with its table and JSON twin."""

import datetime
import json
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import translation

from mineaction.conftest import PERSONAS
from mineaction.core.choices import Component
from mineaction.workplans.models import ActivityStatus
from mineaction.workplans.services.timeline import WIDTH, timeline_data, timeline_svg
from mineaction.workplans.tests.factories import make_activity, make_milestone, make_plan

D = datetime.date
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def year_plan(db, ngo_org, authority_org):
    """A plan over 2025 (365 days): an activity over its first half, a cancelled one, a
    political one and three milestones."""
    plan = make_plan("Platform annual plan 2025", starts_on=D(2025, 1, 1), ends_on=D(2025, 12, 31))
    first_half = make_activity(
        plan,
        ngo_org,
        code="1",
        title="Survey",
        starts_on=D(2025, 1, 1),
        ends_on=D(2025, 6, 30),
        status=ActivityStatus.IN_PROGRESS,
        progress_percent=50,
    )
    make_activity(
        plan,
        ngo_org,
        code="2",
        title="Mapping",
        starts_on=D(2025, 4, 1),
        ends_on=D(2025, 9, 30),
        status=ActivityStatus.CANCELLED,
    )
    make_activity(
        plan,
        authority_org,
        code="3",
        title="Adopt the standards",
        component=Component.POLITICAL,
        starts_on=D(2025, 10, 1),
        ends_on=D(2025, 12, 31),
    )
    make_milestone(plan, "Half way", activity=first_half, due_on=D(2025, 3, 31))
    make_milestone(plan, "Report", due_on=D(2025, 12, 15), achieved_on=D(2025, 12, 10))
    return plan


def draw(plan, today, language="en"):
    data = timeline_data(
        plan,
        plan.activities.select_related("responsible_organisation"),
        plan.milestones.select_related("activity"),
        today,
    )
    with translation.override(language):
        return ElementTree.fromstring(timeline_svg(data)), data


def shapes(root, name):
    return root.findall(f"{SVG}{name}")


def by_class(root, name, css_class):
    return [e for e in shapes(root, name) if css_class in e.get("class", "").split()]


def test_the_svg_is_well_formed_accessible_and_without_style_or_script(year_plan):
    root, _data = draw(year_plan, D(2025, 5, 1))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "timeline-title timeline-desc"
    assert root.find(f"{SVG}title").text == "Timeline of Platform annual plan 2025"
    assert root.find(f"{SVG}desc").text.startswith("The activities by component from ")
    for element in root.iter():
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
        assert element.tag not in {f"{SVG}script", f"{SVG}foreignObject"}


def test_bars_run_from_start_to_end_with_progress_inside(year_plan):
    root, _data = draw(year_plan, D(2025, 5, 1))
    bars = by_class(root, "rect", "timeline-bar")
    # Political first, then technical; chart from x = 300 to 952 (652 px for 365 days).
    assert [bar.get("class") for bar in bars] == [
        "timeline-bar status-planned",
        "timeline-bar status-in_progress",
        "timeline-bar status-cancelled",
    ]
    survey = bars[1]
    # 1 January to 30 June: 181 days; 652 × 181 / 365 = 323.32.
    assert (survey.get("x"), survey.get("width")) == ("300", "323.32")
    assert survey.find(f"{SVG}title").text == (
        "1 Survey: Jan. 1, 2025 to June 30, 2025, In progress, 50 percent done"
    )
    (progress,) = by_class(root, "rect", "timeline-progress")
    assert (progress.get("x"), progress.get("width")) == ("300", "161.66")
    assert bars[2].get("fill") == "url(#timeline-hatch)"


def test_milestones_are_diamonds_on_their_row_or_the_plan_row(year_plan):
    root, _data = draw(year_plan, D(2025, 5, 1))
    diamonds = shapes(root, "polygon")
    assert [d.get("class") for d in diamonds] == [
        "timeline-milestone milestone-overdue",
        "timeline-milestone milestone-achieved",
    ]
    # 31 March: day 89 of the axis, the middle of it at 300 + 652 × 89.5 / 365 = 459.87.
    assert diamonds[0].get("points").split()[0] == "459.87," + str(44 + 26 + 26 + 28 + 14 - 7)
    labels = [t.text for t in shapes(root, "text") if "timeline-group" in t.get("class")]
    assert labels == ["Political", "Technical", "Milestones of the plan as a whole"]


def test_today_is_a_line_only_within_the_axis(year_plan):
    root, _data = draw(year_plan, D(2025, 5, 1))
    (line,) = by_class(root, "line", "timeline-today")
    # 1 May is day 120: the middle of it at 300 + 652 × 120.5 / 365 = 515.25.
    assert line.get("x1") == line.get("x2") == "515.25"
    later, _data = draw(year_plan, D(2026, 2, 1))
    assert by_class(later, "line", "timeline-today") == []


def test_years_and_quarters_are_labelled(year_plan):
    root, data = draw(year_plan, D(2025, 5, 1))
    assert (data["starts_on"], data["ends_on"]) == (D(2025, 1, 1), D(2025, 12, 31))
    texts = {t.get("class"): [] for t in shapes(root, "text")}
    for text in shapes(root, "text"):
        texts[text.get("class")].append(text.text)
    assert texts["timeline-year"] == ["2025"]
    assert texts["timeline-quarter"] == ["Q1", "Q2", "Q3", "Q4"]


def test_in_arabic_time_runs_from_the_right(year_plan):
    english, _data = draw(year_plan, D(2025, 5, 1))
    arabic, _data = draw(year_plan, D(2025, 5, 1), language="ar")
    pairs = list(zip(english.iter(), arabic.iter(), strict=True))
    assert len(pairs) > 30
    checked = 0
    for en, ar in pairs:
        assert en.tag == ar.tag
        if en.tag == f"{SVG}rect" and "timeline-" in en.get("class", ""):
            mirrored = WIDTH - float(en.get("x")) - float(en.get("width"))
            assert ar.get("x") == f"{mirrored:.2f}".rstrip("0").rstrip(".")
            assert ar.get("width") == en.get("width")
            checked += 1
        if en.tag in {f"{SVG}line", f"{SVG}text"} and en.get("class"):
            for name in ("x", "x1", "x2"):
                if en.get(name) is not None:
                    assert float(ar.get(name)) == pytest.approx(
                        WIDTH - float(en.get(name)), abs=0.001
                    )
                    checked += 1
    assert checked == 28
    # The survey bar: 960 − 300 − 323.32 = 336.68, its progress from the bar's right end.
    survey = by_class(arabic, "rect", "status-in_progress")[0]
    (progress,) = by_class(arabic, "rect", "timeline-progress")
    assert (survey.get("x"), progress.get("x")) == ("336.68", "498.34")
    # Labels stand on the right and end there, whatever direction the page passes down to
    # the SVG; each is embedded right to left, so a code stands right of Arabic words.
    assert english.get("direction") == arabic.get("direction") == "ltr"
    assert by_class(arabic, "text", "timeline-label")[0].text == "\u202b3 Adopt the standards\u202c"
    assert by_class(english, "text", "timeline-label")[0].text == "3 Adopt the standards"
    labels = by_class(arabic, "text", "timeline-label")
    assert {(t.get("x"), t.get("text-anchor")) for t in labels} == {("952", "end")}
    english_labels = by_class(english, "text", "timeline-label")
    assert {(t.get("x"), t.get("text-anchor")) for t in english_labels} == {("8", "start")}
    # Centred labels stay centred.
    assert {t.get("text-anchor") for t in by_class(arabic, "text", "timeline-year")} == {"middle"}
    # The diamond's points mirror too.
    assert shapes(arabic, "polygon")[0].get("points").split()[0] == "500.13,131"


def test_long_titles_are_shortened_with_the_full_title_kept(year_plan, ngo_org):
    long_title = "Survey every district of the northern provinces and the border areas"
    make_activity(year_plan, ngo_org, title=long_title, code="4")
    root, _data = draw(year_plan, D(2025, 5, 1))
    label = [
        t
        for t in by_class(root, "text", "timeline-label")
        if t.find(f"{SVG}title") is not None and t.find(f"{SVG}title").text == f"4 {long_title}"
    ][0]
    assert label.text == "4 Survey every district of the northern p…"


# The page and its JSON twin ----------------------------------------------------------------------


def timeline_url(plan, query=""):
    return reverse("workplans:plan_timeline", args=[plan.public_id]) + query


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_timeline_is_for_readers(clients, year_plan, persona):
    response = clients[persona].get(timeline_url(year_plan))
    assert response.status_code == {"anonymous": 302, "outsider": 404}.get(persona, 200)


def test_the_page_holds_the_chart_its_table_and_its_stylesheet(clients, year_plan):
    text = clients["observer"].get(timeline_url(year_plan)).text
    assert '<link rel="stylesheet" href="/static/mineaction/workplans-timeline.css">' in text
    assert '<div class="timeline-wrap"><svg xmlns="http://www.w3.org/2000/svg"' in text
    assert "<caption>Political</caption>" in text
    assert "<caption>Milestones</caption>" in text
    assert 'href="?format=json"' in text
    assert "style=" not in text.split('<div class="timeline-wrap">')[1].split("</svg>")[0]


def test_the_arabic_page_mirrors_the_chart(clients, year_plan):
    client = clients["observer"]
    client.cookies["django_language"] = "ar"
    text = client.get(timeline_url(year_plan)).text
    assert '<html lang="ar" dir="rtl">' in text
    svg = text.split('<div class="timeline-wrap">')[1].split("</svg>")[0] + "</svg>"
    root = ElementTree.fromstring(svg)
    assert {t.get("text-anchor") for t in by_class(root, "text", "timeline-label")} == {"end"}


def test_the_json_twin_holds_the_same_data(clients, year_plan):
    response = clients["member"].get(timeline_url(year_plan, "?format=json"))
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert (body["starts_on"], body["ends_on"]) == ("2025-01-01", "2025-12-31")
    assert [g["component"] for g in body["groups"]] == ["political", "technical"]
    survey = body["groups"][1]["rows"][0]
    assert {
        k: survey[k]
        for k in ("code", "title", "starts_on", "ends_on", "status", "progress_percent")
    } == {
        "code": "1",
        "title": "Survey",
        "starts_on": "2025-01-01",
        "ends_on": "2025-06-30",
        "status": "in_progress",
        "progress_percent": 50,
    }
    assert [(m["title"], m["state"]) for m in body["milestones"]] == [
        ("Half way", "overdue" if body["today"] > "2025-03-31" else "due"),
        ("Report", "achieved"),
    ]


def test_an_unknown_format_is_refused(clients, year_plan):
    response = clients["member"].get(timeline_url(year_plan, "?format=png"))
    assert response.status_code == 400
    assert response.json()["errors"] == {"format": ["Unknown format “png”. Choose one of: json."]}
