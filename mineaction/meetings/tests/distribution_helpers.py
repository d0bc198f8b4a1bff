"""A held meeting with minutes in English (authoritative), Arabic and Chinese, built with the
ORM, for the document and distribution tests."""

import datetime
import io

import docx
import pypdf

from mineaction.meetings.models import (
    ActionPoint,
    AgendaItem,
    Attendance,
    Decision,
    Invitation,
    Meeting,
    MeetingSeries,
    Minutes,
    MinutesEntry,
)
from mineaction.stakeholders.models import AgeBand, Person, Sex

ARABIC_DISCUSSION = "ناقش الأعضاء خطة المسح غير التقني في المحافظة الشمالية."
CHINESE_DISCUSSION = "成员讨论了北部省份的非技术调查计划。"
ENGLISH_DISCUSSION = "Members discussed the non-technical survey plan for the northern province."


def make_meeting(people, authority_org, **fields):
    series = MeetingSeries.objects.create(name="National mine action platform plenary")
    starts_at = datetime.datetime(2031, 3, 12, 7, 0, tzinfo=datetime.UTC)
    return Meeting.objects.create(
        series=series,
        number=fields.pop("number", 7),
        title=fields.pop("title", "Seventh plenary"),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        time_zone="Asia/Phnom_Penh",
        venue="Ministry of Defence, Phnom Penh",
        chair=authority_org,
        convener=people["secretariat"].organisation,
        status=fields.pop("status", Meeting.Status.MINUTES_APPROVED),
        **fields,
    )


def make_minutes(meeting, language, *, status, discussions, approver=None, authoritative=False):
    approved = status in {Minutes.Status.APPROVED, Minutes.Status.DISTRIBUTED}
    minutes = Minutes.objects.create(
        meeting=meeting,
        language=language,
        is_authoritative=authoritative,
        status=status,
        approved_by=approver if approved else None,
        approved_at=datetime.datetime(2031, 4, 2, 9, 0, tzinfo=datetime.UTC) if approved else None,
    )
    for item, discussion in zip(meeting.agenda_items.all(), discussions, strict=True):
        MinutesEntry.objects.create(minutes=minutes, agenda_item=item, discussion=discussion)
    return minutes


def build_minutes_meeting(people, authority_org, ngo_org, *, status=Minutes.Status.APPROVED):
    """A meeting with agenda, attendance, decisions, action points, invitations and approved
    minutes in English (authoritative), Arabic and Simplified Chinese."""
    meeting = make_meeting(people, authority_org)
    survey = AgendaItem.objects.create(
        meeting=meeting, order=1, title="Non-technical survey plan", presenter=people["member"]
    )
    AgendaItem.objects.create(meeting=meeting, order=2, title="Any other business")
    Decision.objects.create(
        meeting=meeting, agenda_item=survey, number=1, text="The survey plan is adopted."
    )
    Decision.objects.create(meeting=meeting, number=2, text="The next plenary meets in June.")
    ActionPoint.objects.create(
        meeting=meeting,
        agenda_item=survey,
        text="Share the survey schedule with the provinces",
        owner_organisation=ngo_org,
        owner_person=people["member"],
        due_on=datetime.date(2031, 5, 15),
    )
    for persona, presence in (("member", "present"), ("lead_donor", "remote")):
        person = people[persona]
        Attendance.objects.create(
            meeting=meeting,
            person=person,
            organisation=person.organisation,
            presence=presence,
            sex=Sex.FEMALE,
            age_band=AgeBand.FROM_30_TO_44,
        )
    approver = people["lead_authority"].user
    english = make_minutes(
        meeting,
        "en",
        status=status,
        discussions=[ENGLISH_DISCUSSION, "Nothing else was raised."],
        approver=approver,
        authoritative=True,
    )
    arabic = make_minutes(
        meeting,
        "ar",
        status=status,
        discussions=[ARABIC_DISCUSSION, "لم تطرح أي مسائل أخرى."],
        approver=approver,
    )
    chinese = make_minutes(
        meeting,
        "zh-hans",
        status=status,
        discussions=[CHINESE_DISCUSSION, "没有提出其他事项。"],
        approver=approver,
    )
    set_language(people["member"], "ar")
    set_language(people["observer"], "zh-hans")
    set_language(people["lead_donor"], "fr")
    for persona in ("member", "lead_donor"):
        Invitation.objects.create(meeting=meeting, person=people[persona])
    Invitation.objects.create(meeting=meeting, person=people["observer"], informed_only=True)
    return {"meeting": meeting, "en": english, "ar": arabic, "zh-hans": chinese}


def set_language(person, language):
    Person.objects.filter(pk=person.pk).update(language=language)
    person.language = language


def pdf_text(data):
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_fonts(data):
    reader = pypdf.PdfReader(io.BytesIO(data))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            # Subset fonts are named "ABCDEF+Family-Style".
            fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return fonts


def open_docx(data):
    return docx.Document(io.BytesIO(data))
