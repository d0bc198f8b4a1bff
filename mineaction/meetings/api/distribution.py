"""distribution API of the meeting cycle: the minutes as PDF and Word documents, and their
distribution by email to the invited and informed people.

Same gates and services as the pages: other readers than those who run meetings only get
approved or distributed minutes.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema

from mineaction.core import access
from mineaction.core.api import Problem, error_responses
from mineaction.meetings import documents
from mineaction.meetings.services import distribution as services

router = Router(tags=["meetings"])

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _binary_response(content_type, description):
    return {
        "responses": {
            200: {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


class RecipientOut(Schema):
    person: uuid.UUID
    email: str
    language: str = Field(description="The language of the minutes the person received.")


class DistributionOut(Schema):
    distributed_at: datetime.datetime
    minutes: list[uuid.UUID] = Field(description="The minutes (one per language) distributed.")
    recipients: list[RecipientOut]
    without_email: list[uuid.UUID] = Field(
        description="Invited or informed people without an email address: not sent anything."
    )


def _meeting_minutes(request, public_id, language):
    """The meeting's authoritative minutes, or those in `language`, if the user may read them."""
    meeting = access.get_meeting_for_user(request.auth, public_id)
    if language is not None and language not in LANGUAGE_CODES:
        raise Problem(
            422,
            errors={
                "language": [
                    _("Unknown language: %(language)s. Use one of: %(codes)s.")
                    % {"language": language, "codes": ", ".join(LANGUAGE_CODES)}
                ]
            },
        )
    candidates = meeting.minutes.all()
    if language is None:
        minutes = candidates.filter(is_authoritative=True).first()
        missing = _("This meeting has no authoritative minutes yet.")
    else:
        minutes = candidates.filter(language=language).first()
        missing = _("This meeting has no minutes in this language.")
    if minutes is None:
        raise Problem(404, missing)
    if not services.can_download(request.auth, minutes):
        raise Problem(404, _("These minutes are not approved yet."))
    return minutes


@router.get(
    "/meetings/{public_id}/minutes.pdf",
    response=error_responses(403, 404, 422),
    summary="Download the minutes as PDF",
    openapi_extra=_binary_response(documents.PDF_CONTENT_TYPE, "The minutes as a PDF document."),
)
def distribution_minutes_pdf(request, public_id: str, language: str | None = None):
    """The approved authoritative minutes of the meeting, or those in `language`, as PDF."""
    return documents.download_response(_meeting_minutes(request, public_id, language), "pdf")


@router.get(
    "/meetings/{public_id}/minutes.docx",
    response=error_responses(403, 404, 422),
    summary="Download the minutes as Word",
    openapi_extra=_binary_response(
        documents.DOCX_CONTENT_TYPE, "The minutes as a Word (DOCX) document."
    ),
)
def distribution_minutes_docx(request, public_id: str, language: str | None = None):
    """The approved authoritative minutes of the meeting, or those in `language`, as DOCX."""
    return documents.download_response(_meeting_minutes(request, public_id, language), "docx")


@router.post(
    "/minutes/{public_id}/distribute",
    response={200: DistributionOut, **error_responses(403, 404, 409)},
    summary="Distribute approved minutes",
)
def distribution_distribute(request, public_id: str):
    """Email the meeting's approved minutes (PDF and DOCX) to every invited and informed
    person, each in their language where minutes exist in it, otherwise the authoritative
    version; then the minutes and the meeting are distributed. Refused (409) for unapproved
    or already distributed minutes."""
    minutes = access.get_minutes_for_user(request.auth, public_id, write=True)
    try:
        result = services.minutes_distribute(minutes=minutes, user=request.auth)
    except ValidationError as error:
        raise Problem(409, error.messages[0]) from None
    return {
        "distributed_at": result["versions"][0].distributed_at,
        "minutes": [version.public_id for version in result["versions"]],
        "recipients": [
            {"person": person.public_id, "email": person.email, "language": language}
            for person, language in result["sent"]
        ],
        "without_email": [person.public_id for person in result["unreachable"]],
    }
