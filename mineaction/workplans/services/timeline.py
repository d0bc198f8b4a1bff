"""The timeline of a work plan: a Gantt-like chart drawn on the server as SVG, and its data.

`timeline_data` gathers what the chart, its table and its JSON twin show: one row per activity
grouped by component, the milestones (on their activity's row, or on a row of the plan's own),
today and the time axis, whole quarters from before the plan starts to after it ends.

`timeline_svg` draws it. Geometry is laid out left to right and mirrored as a whole for
right-to-left languages, where time runs from the right: every x becomes WIDTH - x, text
anchored at its start is anchored at its end (the SVG's own direction stays left to right, so
every renderer places it alike) and each text is embedded right to left. Colours are SVG
presentation attributes (the chart reads the same in a page, a document or a file), never
style attributes; every colour also has a pattern, outline or position, and the table beside
the chart holds every figure.
"""

import datetime
from collections import defaultdict
from xml.etree import ElementTree

from django.utils import formats, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mineaction.core.choices import Component
from mineaction.workplans.models import ActivityStatus
from mineaction.workplans.services.plans import milestone_state

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
WIDTH = 960
LABEL_WIDTH = 300  # the column of activity names, on the side where time starts
PAD = 8
HEADER = 44  # years, then quarters
GROUP_HEIGHT = 26
ROW_HEIGHT = 28
BAR_HEIGHT = 16
PROGRESS_HEIGHT = 6
FOOTER = 22
DIAMOND = 7  # half the width of a milestone's diamond
LABEL_CHARACTERS = 42
MIN_QUARTER_LABEL_WIDTH = 26
MIN_YEAR_LABEL_WIDTH = 34
FONT = "system-ui, Noto Sans, Noto Sans Arabic, Noto Sans CJK SC, sans-serif"

INK = "#1B1F24"
MUTED = "#4A5560"
LINE = "#C9D1D9"
TODAY = "#A4161A"
LATE = "#A4161A"
# (fill, outline, progress) per status, colours that colour-blind readers can tell apart
# (Okabe and Ito); planned bars are dashed outlines and cancelled ones hatched.
STATUS_COLOURS = {
    ActivityStatus.PLANNED: ("#FFFFFF", "#0072B2", "#0072B2"),
    ActivityStatus.IN_PROGRESS: ("#BFE3F5", "#0072B2", "#0072B2"),
    ActivityStatus.DELAYED: ("#F6DDB0", "#D55E00", "#D55E00"),
    ActivityStatus.COMPLETED: ("#8FD3BD", "#006B4F", "#006B4F"),
    ActivityStatus.CANCELLED: ("url(#timeline-hatch)", "#6B7280", "#6B7280"),
}
MILESTONE_COLOURS = {"achieved": "#009E73", "overdue": TODAY, "due": "#FFFFFF"}


def day(value):
    return formats.date_format(value, "DATE_FORMAT")


def quarter_start(value):
    return datetime.date(value.year, 3 * ((value.month - 1) // 3) + 1, 1)


def next_quarter(value):
    month = value.month + 3
    return datetime.date(value.year + (month > 12), (month - 1) % 12 + 1, 1)


def quarter_end(value):
    return next_quarter(quarter_start(value)) - datetime.timedelta(days=1)


# Data ------------------------------------------------------------------------------------------


def _activity_row(activity, today):
    return {
        "public_id": activity.public_id,
        "code": activity.code,
        "title": activity.title,
        "responsible_organisation": activity.responsible_organisation.name,
        "starts_on": activity.starts_on,
        "ends_on": activity.ends_on,
        "status": activity.status,
        "status_label": activity.get_status_display(),
        "progress_percent": activity.progress_percent,
        "late": activity.is_late(today),
    }


def _milestone_row(milestone, today):
    return {
        "public_id": milestone.public_id,
        "title": milestone.title,
        "due_on": milestone.due_on,
        "achieved_on": milestone.achieved_on,
        "state": milestone_state(milestone, today),
        "activity": milestone.activity.public_id if milestone.activity_id else None,
    }


def timeline_data(work_plan, activities, milestones, today):
    """The plan's timeline: its axis, its activities by component (in the order of the
    components) and its milestones. `activities` need their responsible organisation loaded,
    `milestones` their activity."""
    activities = sorted(activities, key=lambda a: (a.starts_on, a.code, a.pk))
    milestones = sorted(milestones, key=lambda m: (m.due_on, m.pk))
    dates = [work_plan.starts_on, work_plan.ends_on]
    dates += [a.starts_on for a in activities] + [a.ends_on for a in activities]
    dates += [m.due_on for m in milestones]
    groups = []
    for component in Component:
        rows = [_activity_row(a, today) for a in activities if a.component == component]
        if rows:
            groups.append(
                {"component": component.value, "label": str(component.label), "rows": rows}
            )
    return {
        "work_plan": {
            "public_id": work_plan.public_id,
            "title": work_plan.title,
            "starts_on": work_plan.starts_on,
            "ends_on": work_plan.ends_on,
        },
        "starts_on": quarter_start(min(dates)),
        "ends_on": quarter_end(max(dates)),
        "today": today,
        "groups": groups,
        "milestones": [_milestone_row(m, today) for m in milestones],
    }


# Drawing ---------------------------------------------------------------------------------------


class Axis:
    """Where a date falls, left to right: the chart runs from the label column to the edge."""

    def __init__(self, starts_on, ends_on):
        self.starts_on = starts_on
        self.days = (ends_on - starts_on).days + 1
        self.left = LABEL_WIDTH
        self.width = WIDTH - PAD - LABEL_WIDTH

    def x(self, value):
        """The x of the start of the day `value`."""
        return round(self.left + self.width * (value - self.starts_on).days / self.days, 2)

    def middle_x(self, value):
        """The x of the middle of the day `value`."""
        days = (value - self.starts_on).days + 0.5
        return round(self.left + self.width * days / self.days, 2)

    def end_x(self, value):
        """The x of the end of the day `value`."""
        return self.x(value + datetime.timedelta(days=1))


class Drawing:
    """Shapes laid out left to right; `svg()` mirrors them for right-to-left languages."""

    def __init__(self):
        self.shapes = []

    def add(self, kind, attributes, *, text=None, title=None):
        text = None if text is None else str(text)
        self.shapes.append((kind, attributes, text, str(title) if title else None))

    def svg(self, *, height, rtl, title, description):
        root = ElementTree.Element(
            "svg",
            {
                "xmlns": SVG_NAMESPACE,
                "viewBox": f"0 0 {WIDTH} {height}",
                "width": str(WIDTH),
                "height": str(height),
                "role": "img",
                "aria-labelledby": "timeline-title timeline-desc",
                "class": "timeline-chart",
                "font-family": FONT,
                "font-size": "12",
                # The geometry is mirrored by hand, so text anchors must not flip again with
                # the direction a right-to-left page would pass down to an inline SVG.
                "direction": "ltr",
            },
        )
        ElementTree.SubElement(root, "title", {"id": "timeline-title"}).text = title
        ElementTree.SubElement(root, "desc", {"id": "timeline-desc"}).text = description
        _hatch_pattern(root)
        for kind, attributes, text, shape_title in self.shapes:
            element = ElementTree.SubElement(root, kind, _placed(kind, attributes, rtl))
            if shape_title:
                ElementTree.SubElement(element, "title").text = shape_title
            if text is not None:
                element.text = RIGHT_TO_LEFT_EMBEDDING + text + POP_DIRECTIONAL if rtl else text
        return ElementTree.tostring(root, encoding="unicode")


def _number(value):
    return f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


# Wrap a label in a right-to-left language, so that it reads right to left inside the SVG's
# left-to-right text: a code or number before Arabic words stands on their right.
RIGHT_TO_LEFT_EMBEDDING = "\u202b"
POP_DIRECTIONAL = "\u202c"
MIRRORED_ANCHORS = {"start": "end", "end": "start", "middle": "middle"}


def _placed(kind, attributes, rtl):
    """The shape's attributes as text, mirrored (x -> WIDTH - x) in right-to-left languages."""
    placed = dict(attributes)
    if rtl:
        if kind == "rect":
            placed["x"] = WIDTH - attributes["x"] - attributes["width"]
        else:
            for name in ("x", "x1", "x2"):
                if name in attributes:
                    placed[name] = WIDTH - attributes[name]
        if "points" in attributes:
            placed["points"] = [(WIDTH - x, y) for x, y in attributes["points"]]
        if "text-anchor" in attributes:
            placed["text-anchor"] = MIRRORED_ANCHORS[attributes["text-anchor"]]
    if "points" in placed:
        placed["points"] = " ".join(f"{_number(x)},{_number(y)}" for x, y in placed["points"])
    return {name: _number(value) for name, value in placed.items()}


def _hatch_pattern(root):
    defs = ElementTree.SubElement(root, "defs")
    pattern = ElementTree.SubElement(
        defs,
        "pattern",
        {
            "id": "timeline-hatch",
            "width": "6",
            "height": "6",
            "patternUnits": "userSpaceOnUse",
            "patternTransform": "rotate(45)",
        },
    )
    ElementTree.SubElement(pattern, "rect", {"width": "6", "height": "6", "fill": "#E5E7EB"})
    ElementTree.SubElement(
        pattern, "line", {"x1": "0", "y1": "0", "x2": "0", "y2": "6", "stroke": "#6B7280"}
    )


def _truncated(text):
    return text if len(text) <= LABEL_CHARACTERS else text[: LABEL_CHARACTERS - 1] + "…"


def _activity_name(row):
    return f"{row['code']} {row['title']}" if row["code"] else row["title"]


def _quarters(starts_on, ends_on):
    quarter = quarter_start(starts_on)
    while quarter <= ends_on:
        yield quarter
        quarter = next_quarter(quarter)


def _draw_axis(drawing, axis, data, height):
    """Year and quarter ticks with their labels."""
    starts_on, ends_on = data["starts_on"], data["ends_on"]
    after_end = ends_on + datetime.timedelta(days=1)
    for quarter in _quarters(starts_on, ends_on):
        x = axis.x(quarter)
        year_tick = quarter.month == 1 or quarter == starts_on
        drawing.add(
            "line",
            {
                "class": "timeline-tick-year" if year_tick else "timeline-tick-quarter",
                "x1": x,
                "x2": x,
                "y1": 0 if year_tick else 22,
                "y2": height - FOOTER,
                "stroke": MUTED if year_tick else LINE,
                "stroke-width": 1,
            },
        )
        quarter_end_x = axis.x(min(next_quarter(quarter), after_end))
        if quarter_end_x - x >= MIN_QUARTER_LABEL_WIDTH:
            drawing.add(
                "text",
                {
                    "class": "timeline-quarter",
                    "x": round((x + quarter_end_x) / 2, 2),
                    "y": 36,
                    "text-anchor": "middle",
                    "fill": MUTED,
                },
                text=pgettext("quarter of a year", "Q%(number)s")
                % {"number": (quarter.month - 1) // 3 + 1},
            )
    for year in range(starts_on.year, ends_on.year + 1):
        first = axis.x(max(datetime.date(year, 1, 1), starts_on))
        last = axis.x(min(datetime.date(year + 1, 1, 1), after_end))
        if last - first >= MIN_YEAR_LABEL_WIDTH:
            drawing.add(
                "text",
                {
                    "class": "timeline-year",
                    "x": round((first + last) / 2, 2),
                    "y": 16,
                    "text-anchor": "middle",
                    "font-weight": "bold",
                    "fill": INK,
                },
                text=str(year),
            )
    end_x = axis.x(after_end)
    drawing.add(
        "line",
        {
            "class": "timeline-tick-year",
            "x1": end_x,
            "x2": end_x,
            "y1": 0,
            "y2": height - FOOTER,
            "stroke": MUTED,
            "stroke-width": 1,
        },
    )


def _bar_title(row):
    text = _("%(activity)s: %(start)s to %(end)s, %(status)s, %(percent)s percent done") % {
        "activity": _activity_name(row),
        "start": day(row["starts_on"]),
        "end": day(row["ends_on"]),
        "status": row["status_label"],
        "percent": row["progress_percent"],
    }
    return _("%(bar)s (late)") % {"bar": text} if row["late"] else text


def _draw_activity(drawing, axis, row, y):
    """The row's label, its bar from start to end with the progress inside, late outlined."""
    drawing.add(
        "text",
        {
            "class": "timeline-label",
            "x": PAD,
            "y": y + ROW_HEIGHT // 2 + 4,
            "text-anchor": "start",
            "fill": INK,
        },
        text=_truncated(_activity_name(row)),
        title=_activity_name(row),
    )
    fill, outline, progress = STATUS_COLOURS[row["status"]]
    x = axis.x(row["starts_on"])
    width = round(axis.end_x(row["ends_on"]) - x, 2)
    top = y + (ROW_HEIGHT - BAR_HEIGHT) // 2
    bar = {
        "class": f"timeline-bar status-{row['status']}" + (" late" if row["late"] else ""),
        "x": x,
        "y": top,
        "width": width,
        "height": BAR_HEIGHT,
        "rx": 3,
        "fill": fill,
        "stroke": LATE if row["late"] else outline,
        "stroke-width": 3 if row["late"] else 1,
    }
    if row["status"] == ActivityStatus.PLANNED:
        bar["stroke-dasharray"] = "4 3"
    drawing.add("rect", bar, title=_bar_title(row))
    if row["progress_percent"]:
        drawing.add(
            "rect",
            {
                "class": "timeline-progress",
                "x": x,
                "y": top + (BAR_HEIGHT - PROGRESS_HEIGHT) // 2,
                "width": round(width * row["progress_percent"] / 100, 2),
                "height": PROGRESS_HEIGHT,
                "fill": progress,
            },
        )


def _milestone_title(milestone):
    if milestone["state"] == "achieved":
        return _("Milestone %(title)s: due %(due)s, achieved %(achieved)s") % {
            "title": milestone["title"],
            "due": day(milestone["due_on"]),
            "achieved": day(milestone["achieved_on"]),
        }
    if milestone["state"] == "overdue":
        return _("Milestone %(title)s: due %(due)s, overdue") % {
            "title": milestone["title"],
            "due": day(milestone["due_on"]),
        }
    return _("Milestone %(title)s: due %(due)s") % {
        "title": milestone["title"],
        "due": day(milestone["due_on"]),
    }


def _draw_milestone(drawing, axis, milestone, y):
    x = axis.middle_x(milestone["due_on"])
    middle = y + ROW_HEIGHT // 2
    drawing.add(
        "polygon",
        {
            "class": f"timeline-milestone milestone-{milestone['state']}",
            "points": [
                (x, middle - DIAMOND),
                (x + DIAMOND, middle),
                (x, middle + DIAMOND),
                (x - DIAMOND, middle),
            ],
            "fill": MILESTONE_COLOURS[milestone["state"]],
            "stroke": INK,
            "stroke-width": 1.5,
        },
        title=_milestone_title(milestone),
    )


def _draw_group_heading(drawing, label, y):
    drawing.add(
        "text",
        {
            "class": "timeline-group",
            "x": PAD,
            "y": y + GROUP_HEIGHT - 8,
            "text-anchor": "start",
            "font-weight": "bold",
            "fill": INK,
        },
        text=label,
    )


def _draw_today(drawing, axis, data, height):
    today = data["today"]
    if not data["starts_on"] <= today <= data["ends_on"]:
        return
    x = axis.middle_x(today)
    drawing.add(
        "line",
        {
            "class": "timeline-today",
            "x1": x,
            "x2": x,
            "y1": HEADER - 4,
            "y2": height - FOOTER + 4,
            "stroke": TODAY,
            "stroke-width": 2,
            "stroke-dasharray": "3 2",
        },
    )
    drawing.add(
        "text",
        {
            "class": "timeline-today-label",
            "x": x,
            "y": height - 6,
            "text-anchor": "middle",
            "fill": TODAY,
        },
        text=_("Today"),
    )


def _layout_height(data):
    rows = sum(len(group["rows"]) for group in data["groups"])
    plan_milestones = any(m["activity"] is None for m in data["milestones"])
    groups = len(data["groups"]) + plan_milestones
    return HEADER + groups * GROUP_HEIGHT + (rows + plan_milestones) * ROW_HEIGHT + FOOTER


def timeline_svg(data, *, rtl=None):
    """The timeline as SVG markup, safe to place in a page (built as XML, every text escaped).
    `rtl`: time runs from the right; the active language's direction when None."""
    if rtl is None:
        rtl = translation.get_language_bidi()
    axis = Axis(data["starts_on"], data["ends_on"])
    height = _layout_height(data)
    drawing = Drawing()
    _draw_axis(drawing, axis, data, height)
    milestones_of = defaultdict(list)
    for milestone in data["milestones"]:
        milestones_of[milestone["activity"]].append(milestone)
    y = HEADER
    for group in data["groups"]:
        _draw_group_heading(drawing, group["label"], y)
        y += GROUP_HEIGHT
        for row in group["rows"]:
            _draw_activity(drawing, axis, row, y)
            for milestone in milestones_of.get(row["public_id"], []):
                _draw_milestone(drawing, axis, milestone, y)
            y += ROW_HEIGHT
    if milestones_of.get(None):
        _draw_group_heading(drawing, _("Milestones of the plan as a whole"), y)
        y += GROUP_HEIGHT
        for milestone in milestones_of[None]:
            _draw_milestone(drawing, axis, milestone, y)
    _draw_today(drawing, axis, data, height)
    title = _("Timeline of %(plan)s") % {"plan": data["work_plan"]["title"]}
    description = _(
        "The activities by component from %(start)s to %(end)s, with their milestones. The "
        "table after the chart lists the same data."
    ) % {"start": day(data["starts_on"]), "end": day(data["ends_on"])}
    svg = drawing.svg(height=height, rtl=rtl, title=title, description=description)
    return mark_safe(svg)  # noqa: S308 - serialised by ElementTree, which escapes every text
