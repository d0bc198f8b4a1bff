"""The minutes as PDF and DOCX: content, language, direction and fonts."""

import pytest
from docx.oxml.ns import qn

from mineaction.meetings import documents
from mineaction.meetings.models import Minutes
from mineaction.meetings.tests.distribution_helpers import (
    ARABIC_DISCUSSION,
    CHINESE_DISCUSSION,
    ENGLISH_DISCUSSION,
    build_minutes_meeting,
    open_docx,
    pdf_fonts,
    pdf_text,
)


@pytest.fixture
def minutes(people, authority_org, ngo_org):
    return build_minutes_meeting(people, authority_org, ngo_org)


def test_the_bundled_fonts_are_found_in_their_packages():
    files = documents.font_files()
    assert sorted(files) == ["Amiri", "Noto Sans", "Noto Sans CJK TC"]
    assert all(path.is_file() for path in files.values())


def test_english_pdf_shows_the_meeting_the_discussion_decisions_and_action_points(minutes):
    text = " ".join(pdf_text(documents.render_minutes_pdf(minutes["en"])).split())
    assert "Minutes of Seventh plenary" in text
    assert "Authoritative version, in English." in text
    assert "Meeting number: 7" in text
    # 07:00 UTC is 14:00 in Phnom Penh.
    assert "March 12, 2031, 2 p.m. to 5 p.m. (Asia/Phnom_Penh)" in text
    assert "Venue: Ministry of Defence, Phnom Penh" in text
    assert "Chair: Testland Mine Action Centre" in text
    assert "Co-chair: Kingdom of Examplia" in text
    assert "Convener: United Nations Development Programme" in text
    assert "Present: 1 · Remote: 1 · Absent: 0" in text
    assert "Organisations represented: 2" in text
    assert "1. Non-technical survey plan" in text
    assert "Presenter: Ngo Member" in text
    assert ENGLISH_DISCUSSION in text
    assert "The survey plan is adopted." in text
    assert "Share the survey schedule with the provinces" in text
    assert "May 15, 2031" in text
    assert "Approved by Lead Authority on April 2, 2031." in text
    assert pdf_fonts(documents.render_minutes_pdf(minutes["en"])) >= {"Noto-Sans"}


def test_arabic_pdf_is_right_to_left_with_the_arabic_font_embedded(minutes):
    data = documents.render_minutes_pdf(minutes["ar"])
    assert "Amiri" in pdf_fonts(data)
    assert any("\u0600" <= character <= "\u06ff" for character in pdf_text(data))
    html = documents.render_minutes_html(minutes["ar"])
    assert '<html lang="ar" dir="rtl">' in html
    assert ARABIC_DISCUSSION in html


def test_arabic_pdf_text_layer_extracts_the_exact_arabic_words(minutes):
    text = pdf_text(documents.render_minutes_pdf(minutes["ar"]))
    assert all(word in text for word in ARABIC_DISCUSSION.rstrip(".").split())


def test_chinese_pdf_contains_the_chinese_text_and_embeds_the_cjk_font(minutes):
    data = documents.render_minutes_pdf(minutes["zh-hans"])
    assert CHINESE_DISCUSSION in "".join(pdf_text(data).split())
    assert "Noto-Sans-CJK-TC" in pdf_fonts(data)
    html = documents.render_minutes_html(minutes["zh-hans"])
    assert '<html lang="zh-hans" dir="ltr">' in html


def test_pdf_of_draft_minutes_says_they_are_not_approved(people, authority_org, ngo_org):
    drafts = build_minutes_meeting(people, authority_org, ngo_org, status=Minutes.Status.DRAFT)
    text = " ".join(pdf_text(documents.render_minutes_pdf(drafts["en"])).split())
    assert "Not approved yet. Status: Draft." in text


def test_docx_has_the_headings_and_tables_of_the_minutes(minutes):
    document = open_docx(documents.render_minutes_docx(minutes["en"]))
    headings = [
        paragraph.text
        for paragraph in document.paragraphs
        if paragraph.style.name.startswith(("Heading", "Title"))
    ]
    assert headings == [
        "Minutes of Seventh plenary",
        "Attendance",
        "Agenda and discussion",
        "1. Non-technical survey plan",
        "2. Any other business",
        "Decisions",
        "Action points",
        "Approval",
    ]
    attendance, action_points = document.tables
    assert [[cell.text for cell in row.cells] for row in attendance.rows] == [
        ["Name", "Organisation", "Presence"],
        ["Ngo Member", "Clear Fields Association", "Present"],
        ["Donor Focal", "Kingdom of Examplia", "Remote"],
    ]
    assert [[cell.text for cell in row.cells] for row in action_points.rows] == [
        ["#", "Action", "Owner", "Due", "Status"],
        [
            "1",
            "Share the survey schedule with the provinces",
            "Clear Fields Association – Ngo Member",
            "May 15, 2031",
            "Open",
        ],
    ]
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert ENGLISH_DISCUSSION in texts
    assert "1. The survey plan is adopted." in texts
    assert "Approved by Lead Authority on April 2, 2031." in texts


def test_arabic_docx_paragraphs_and_runs_read_right_to_left(minutes):
    document = open_docx(documents.render_minutes_docx(minutes["ar"]))
    paragraph = next(p for p in document.paragraphs if p.text == ARABIC_DISCUSSION)
    assert paragraph._p.pPr.find(qn("w:bidi")) is not None
    assert all(run._r.rPr.find(qn("w:rtl")) is not None for run in paragraph.runs)
    normal = document.styles["Normal"].element.rPr
    assert normal.find(qn("w:lang")).get(qn("w:bidi")) == "ar-SA"
    assert all(table._tbl.tblPr.find(qn("w:bidiVisual")) is not None for table in document.tables)
    assert document.core_properties.language == "ar-SA"


def test_chinese_docx_uses_the_cjk_font_for_east_asian_text(minutes):
    document = open_docx(documents.render_minutes_docx(minutes["zh-hans"]))
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "Noto Sans CJK TC"
    assert CHINESE_DISCUSSION in [paragraph.text for paragraph in document.paragraphs]
    paragraph = next(p for p in document.paragraphs if p.text == CHINESE_DISCUSSION)
    assert paragraph._p.pPr is None or paragraph._p.pPr.find(qn("w:bidi")) is None
