"""The minutes as documents: a PDF (WeasyPrint, from an HTML print template) and a Word file
(python-docx), with the same content, in the minutes' own language.

Fonts come from PyPI font packages, so every machine renders the same glyphs: Noto Sans for
Latin and Cyrillic, Amiri for Arabic (its glyphs keep letters and dots together, so the PDF's
text layer extracts and searches correctly) and Noto Sans CJK. Arabic minutes are right to
left in both formats. The labels ("Decisions", "Owner", ...) are translated into the minutes'
language, not the reader's: a document in Arabic is entirely in Arabic.
"""

import functools
import io
import zoneinfo
from collections import Counter

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from mineaction.core.fonts import ARABIC_FONT, CJK_FONT, LATIN_FONT, font_files
from mineaction.meetings.models import Attendance

PDF_CONTENT_TYPE = "application/pdf"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# BCP 47 tags Word understands, per platform language.
WORD_LANGUAGE_TAGS = {
    "en": "en-GB",
    "fr": "fr-FR",
    "es": "es-ES",
    "ar": "ar-SA",
    "ru": "ru-RU",
    "zh-hans": "zh-CN",
}


# Content shared by both formats ----------------------------------------------------------------


def _language_name(code):
    return translation.get_language_info(code)["name_translated"]


def _person_name(user):
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return str(person) if person is not None else user.email


def local_time(moment, zone):
    return timezone.localtime(moment, zoneinfo.ZoneInfo(zone))


def _when(meeting):
    """The meeting's date and times in its own time zone, formatted for the active language."""
    starts = local_time(meeting.starts_at, meeting.time_zone)
    ends = local_time(meeting.ends_at, meeting.time_zone)
    ends_format = "TIME_FORMAT" if ends.date() == starts.date() else "DATETIME_FORMAT"
    return _("%(start)s to %(end)s (%(zone)s)") % {
        "start": formats.date_format(starts, "DATETIME_FORMAT"),
        "end": formats.date_format(ends, ends_format),
        "zone": meeting.time_zone,
    }


def _attendance(meeting):
    attendances = list(
        meeting.attendances.select_related("person", "organisation").order_by(
            "organisation__name", "person__family_name", "person__given_name"
        )
    )
    counts = Counter(attendance.presence for attendance in attendances)
    return {
        "counts": [(label, counts.get(value, 0)) for value, label in Attendance.Presence.choices],
        "attended": [
            {
                "name": str(attendance.person),
                "organisation": str(attendance.organisation),
                "presence": attendance.get_presence_display(),
            }
            for attendance in attendances
            if attendance.presence != Attendance.Presence.ABSENT
        ],
        "organisations": len(
            {a.organisation_id for a in attendances if a.presence != Attendance.Presence.ABSENT}
        ),
    }


def _agenda(minutes):
    discussions = {entry.agenda_item_id: entry.discussion for entry in minutes.entries.all()}
    return [
        {
            "number": position,
            "title": item.title,
            "presenter": str(item.presenter) if item.presenter else "",
            "discussion": discussions.get(item.pk, ""),
        }
        for position, item in enumerate(
            minutes.meeting.agenda_items.select_related("presenter").order_by("order", "id"),
            start=1,
        )
    ]


def _action_points(meeting):
    return [
        {
            "text": action_point.text,
            "owner": " – ".join(
                str(part)
                for part in (action_point.owner_organisation, action_point.owner_person)
                if part
            ),
            "due": formats.date_format(action_point.due_on, "DATE_FORMAT"),
            "status": action_point.get_status_display(),
        }
        for action_point in meeting.action_points.select_related(
            "owner_organisation", "owner_person"
        ).order_by("due_on", "id")
    ]


def _approval(minutes):
    if minutes.approved_at is None:
        return _("Not approved yet. Status: %(status)s.") % {"status": minutes.get_status_display()}
    return _("Approved by %(name)s on %(date)s.") % {
        "name": _person_name(minutes.approved_by),
        "date": formats.date_format(
            local_time(minutes.approved_at, minutes.meeting.time_zone), "DATE_FORMAT"
        ),
    }


def _language_note(minutes):
    if minutes.is_authoritative:
        return _("Authoritative version, in %(language)s.") % {
            "language": _language_name(minutes.language)
        }
    authoritative = minutes.meeting.minutes.filter(is_authoritative=True).first()
    if authoritative is None:
        return _("Version in %(language)s. No version has been marked authoritative.") % {
            "language": _language_name(minutes.language)
        }
    return _(
        "Version in %(language)s. The authoritative version is the one in %(authoritative)s."
    ) % {
        "language": _language_name(minutes.language),
        "authoritative": _language_name(authoritative.language),
    }


def minutes_content(minutes):
    """Everything both documents show, as plain values in the active language."""
    meeting = minutes.meeting
    co_chair = meeting.co_chair()
    attendance = _attendance(meeting)
    return {
        "minutes": minutes,
        "title": str(meeting),
        "heading": _("Minutes of %(meeting)s") % {"meeting": meeting},
        "details": [
            (_("Meeting number"), str(meeting.number)),
            (_("Series"), str(meeting.series)),
            (_("Date and time"), _when(meeting)),
            (_("Venue"), meeting.venue),
            (_("Online meeting link"), meeting.online_url),
            (_("Chair"), str(meeting.chair) if meeting.chair else ""),
            (_("Co-chair"), str(co_chair) if co_chair else ""),
            (_("Convener"), str(meeting.convener) if meeting.convener else ""),
        ],
        "attendance": attendance,
        "agenda": _agenda(minutes),
        "decisions": [
            {"number": decision.number, "text": decision.text}
            for decision in meeting.decisions.order_by("number")
        ],
        "action_points": _action_points(meeting),
        "approval": _approval(minutes),
        "language_note": _language_note(minutes),
        "labels": {
            "attendance": _("Attendance"),
            "name": _("Name"),
            "organisation": _("Organisation"),
            "presence": _("Presence"),
            "organisations": _("Organisations represented: %(count)s")
            % {"count": attendance["organisations"]},
            "nobody": _("No attendance was recorded."),
            "agenda": _("Agenda and discussion"),
            "presenter": _("Presenter: %(name)s"),
            "no_discussion": _("No summary of the discussion was recorded."),
            "decisions": _("Decisions"),
            "no_decisions": _("No decisions were recorded."),
            "action_points": _("Action points"),
            "action": _("Action"),
            "owner": _("Owner"),
            "due": _("Due"),
            "status": _("Status"),
            "no_action_points": _("No action points were agreed."),
            "approval": _("Approval"),
        },
    }


def minutes_filename(minutes, extension):
    meeting = minutes.meeting
    day = local_time(meeting.starts_at, meeting.time_zone).date().isoformat()
    return f"minutes-{meeting.number}-{day}-{minutes.language}.{extension}"


# PDF -------------------------------------------------------------------------------------------


@functools.cache
def _font_face_css():
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); }}'
        for family, path in font_files().items()
    )


def render_minutes_html(minutes):
    """The print template, in the minutes' language and writing direction."""
    with translation.override(minutes.language):
        context = minutes_content(minutes)
        context.update(
            language=minutes.language,
            direction="rtl" if translation.get_language_bidi() else "ltr",
        )
        return render_to_string("meetings/documents/minutes.html", context)


def render_minutes_pdf(minutes):
    """The minutes as PDF bytes, with the bundled fonts embedded."""
    # WeasyPrint is imported here: loading it (Pango, HarfBuzz) is slow and only needed here.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    fonts = CSS(string=_font_face_css(), font_config=font_config)
    return HTML(string=render_minutes_html(minutes)).write_pdf(
        stylesheets=[fonts], font_config=font_config
    )


# DOCX ------------------------------------------------------------------------------------------


def _set_fonts(run_properties, language):
    """Fonts per script and the language marks Word uses for spelling and shaping."""
    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_properties.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:cs"), ARABIC_FONT)
    fonts.set(qn("w:eastAsia"), CJK_FONT)
    language_mark = run_properties.find(qn("w:lang"))
    if language_mark is None:
        language_mark = OxmlElement("w:lang")
        run_properties.append(language_mark)
    tag = WORD_LANGUAGE_TAGS.get(language, language)
    language_mark.set(qn("w:val"), tag)
    if language == "ar":
        language_mark.set(qn("w:bidi"), tag)
    if language == "zh-hans":
        language_mark.set(qn("w:eastAsia"), tag)


def _prepare_styles(document, language):
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[name]
        _set_fonts(style.element.get_or_add_rPr(), language)
    document.styles["Normal"].font.size = Pt(10.5)


def _mark_right_to_left(document):
    """Arabic: every paragraph and run reads right to left, tables start on the right."""
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        properties = table._tbl.tblPr
        properties.append(OxmlElement("w:bidiVisual"))
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    for paragraph in paragraphs:
        paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
        for run in paragraph.runs:
            run_properties = run._r.get_or_add_rPr()
            run_properties.append(OxmlElement("w:rtl"))
            _set_fonts(run_properties, "ar")


def _table(document, header, rows):
    table = document.add_table(rows=1, cols=len(header))
    table.style = document.styles["Table Grid"]
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(label)).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = str(value)
    return table


def _docx_body(document, content):
    labels = content["labels"]
    document.add_heading(content["heading"], level=0)
    document.add_paragraph().add_run(content["language_note"]).italic = True
    for label, value in content["details"]:
        if value:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)

    document.add_heading(labels["attendance"], level=1)
    attendance = content["attendance"]
    document.add_paragraph(" · ".join(f"{label}: {count}" for label, count in attendance["counts"]))
    document.add_paragraph(labels["organisations"])
    if attendance["attended"]:
        _table(
            document,
            [labels["name"], labels["organisation"], labels["presence"]],
            [(row["name"], row["organisation"], row["presence"]) for row in attendance["attended"]],
        )
    else:
        document.add_paragraph(labels["nobody"])

    document.add_heading(labels["agenda"], level=1)
    for item in content["agenda"]:
        document.add_heading(f"{item['number']}. {item['title']}", level=2)
        if item["presenter"]:
            document.add_paragraph(labels["presenter"] % {"name": item["presenter"]})
        for text in (item["discussion"] or labels["no_discussion"]).splitlines():
            if text.strip():
                document.add_paragraph(text)

    document.add_heading(labels["decisions"], level=1)
    for decision in content["decisions"]:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{decision['number']}. ").bold = True
        paragraph.add_run(decision["text"])
    if not content["decisions"]:
        document.add_paragraph(labels["no_decisions"])

    document.add_heading(labels["action_points"], level=1)
    if content["action_points"]:
        _table(
            document,
            ["#", labels["action"], labels["owner"], labels["due"], labels["status"]],
            [
                (number, row["text"], row["owner"], row["due"], row["status"])
                for number, row in enumerate(content["action_points"], start=1)
            ],
        )
    else:
        document.add_paragraph(labels["no_action_points"])

    document.add_heading(labels["approval"], level=1)
    document.add_paragraph(content["approval"])


def render_minutes_docx(minutes):
    """The minutes as a Word document (bytes)."""
    document = Document()
    _prepare_styles(document, minutes.language)
    with translation.override(minutes.language):
        content = minutes_content(minutes)
        _docx_body(document, content)
        bidi = translation.get_language_bidi()
    properties = document.core_properties
    properties.title = content["heading"]
    properties.language = WORD_LANGUAGE_TAGS.get(minutes.language, minutes.language)
    if bidi:
        _mark_right_to_left(document)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


# Downloads ---------------------------------------------------------------------------------------


def download_response(minutes, extension):
    """The document as an HTTP download named after the meeting and language."""
    render_document, content_type = {
        "pdf": (render_minutes_pdf, PDF_CONTENT_TYPE),
        "docx": (render_minutes_docx, DOCX_CONTENT_TYPE),
    }[extension]
    response = HttpResponse(render_document(minutes), content_type=content_type)
    filename = minutes_filename(minutes, extension)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Language"] = minutes.language
    return response
