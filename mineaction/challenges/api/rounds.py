"""Prioritisation rounds API: list and prepare rounds, open and close them, cast and read
ballots, and the results of a closed round (JSON, CSV or XLSX).

Same gates, forms and services as the pages, so the rules and the messages are the same. A
refusal because of the round's state (not open, too late, already voted, already closed) is a
409; bad values are a 422 with the messages per field.
"""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from mineaction.challenges.forms_rounds import RoundForm
from mineaction.challenges.models import (
    ChallengeStatus,
    RoundMethod,
    RoundStatus,
)
from mineaction.challenges.services import round_results as results
from mineaction.challenges.services import rounds as services
from mineaction.core import access
from mineaction.core.api import (
    PageOut,
    PageParams,
    Problem,
    choice,
    error_responses,
    input_changes,
    input_schema_extra,
    paginate,
    save_form,
    text,
)
from mineaction.core.tables import CONTENT_TYPES, table_response

router = Router(tags=["challenges"])

READ = error_responses(403, 404)
WRITE = error_responses(400, 403, 404, 409, 422)
LIST = error_responses(400, 403)


# Schemas ---------------------------------------------------------------------------------------


class RoundChallengeOut(Schema):
    public_id: uuid.UUID
    reference: str
    title: str | None = Field(
        description="Null when the caller may not see the challenge (restricted since)."
    )
    status: ChallengeStatus


class RoundOrganisationOut(Schema):
    public_id: uuid.UUID
    name: str
    acronym: str


class WeightsOut(Schema):
    impact: str
    urgency: str
    feasibility: str


class TurnoutBallotOut(Schema):
    organisation: RoundOrganisationOut
    cast_at: datetime.datetime
    abstained: bool


class TurnoutOut(Schema):
    member_organisations: int = Field(description="Organisations that may vote today.")
    ballots: int = Field(description="Ballots cast, abstentions included.")
    abstained: int
    voted: list[TurnoutBallotOut]
    not_voted: list[RoundOrganisationOut] | None = Field(
        description="Member organisations that have not voted (only for the secretariat, the "
        "lead authority and administrators)."
    )


class SpreadOut(Schema):
    count: int
    mean: str
    min: str
    max: str


class EarlierRoundOut(Schema):
    public_id: uuid.UUID
    title: str
    closed_at: datetime.datetime | None


class EarlierResultOut(Schema):
    round: EarlierRoundOut
    rank: int | None


class ResultOut(Schema):
    rank: int | None = Field(description="Equal scores share a rank; null: nobody scored it.")
    challenge: RoundChallengeOut
    score: str | None = Field(description="Decimal with three places.")
    votes: int
    abstentions: int
    spread: dict[str, SpreadOut] = Field(
        description="Per constituency (organisation type): votes, mean, lowest and highest."
    )
    earlier: EarlierResultOut | None = Field(
        description="The challenge's place in the previous closed round that included it."
    )
    movement: str = Field(json_schema_extra={"enum": ["", "up", "down", "same", "new"]})


class RoundOut(Schema):
    public_id: uuid.UUID
    title: str
    description: str
    method: RoundMethod
    weights: WeightsOut
    status: RoundStatus
    closes_at: datetime.datetime
    opened_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    accepts_votes: bool
    priorities_count: int
    challenges: list[RoundChallengeOut]
    turnout: TurnoutOut
    results: list[ResultOut] | None = Field(description="Once the round is closed.")


class RoundSummaryOut(Schema):
    public_id: uuid.UUID
    title: str
    method: RoundMethod
    status: RoundStatus
    closes_at: datetime.datetime
    closed_at: datetime.datetime | None
    challenges: int
    ballots: int
    own_organisation_voted: bool


class RoundPageOut(PageOut):
    results: list[RoundSummaryOut]


class RoundFilters(PageParams):
    status: str | None = choice(RoundStatus.choices)


class RoundIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["title", "challenges", "closes_at"]),
    }

    title: str | None = text()
    description: str | None = text()
    method: str | None = choice(RoundMethod.choices, "Score (default) or rank.")
    weight_impact: Decimal | None = Field(None, description="0 or more (default 40).")
    weight_urgency: Decimal | None = Field(None, description="0 or more (default 40).")
    weight_feasibility: Decimal | None = Field(None, description="0 or more (default 20).")
    challenges: list[str] | None = Field(
        None,
        description="Public ids of at least two open challenges visible to every member.",
        json_schema_extra={"items": {"type": "string", "format": "uuid"}},
    )
    closes_at: str | None = text("ISO 8601 date and time, in the future.", format="date-time")
    priorities_count: int | None = Field(
        None, description="How many top-ranked challenges become priorities (default 3)."
    )


class RoundConfirmIn(Schema):
    model_config = {"extra": "forbid", "json_schema_extra": input_schema_extra(["confirm"])}

    confirm: bool = Field(False, description="Must be true: the change cannot be undone.")


class BallotEntryIn(Schema):
    model_config = {"extra": "forbid"}

    challenge: str = Field(description="Public id of a challenge of the round.")
    impact: int | None = Field(None, description="1 to 5 (score rounds).")
    urgency: int | None = Field(None, description="1 to 5 (score rounds).")
    feasibility: int | None = Field(None, description="1 to 5 (score rounds).")
    rank: int | None = Field(None, description="1 to the number of challenges (rank rounds).")


class BallotIn(Schema):
    model_config = {"extra": "forbid"}

    entries: list[BallotEntryIn] = Field(
        default_factory=list,
        description="One per challenge at most; a challenge left out or without values is "
        "an abstention on it.",
    )
    abstained: bool = Field(False, description="Abstain on the whole ballot (no entries).")
    comment: str = ""


class BallotEntryOut(Schema):
    challenge: uuid.UUID
    impact: int | None
    urgency: int | None
    feasibility: int | None
    rank: int | None


class VoterOut(Schema):
    public_id: uuid.UUID
    given_name: str
    family_name: str


class BallotOut(Schema):
    public_id: uuid.UUID
    organisation: RoundOrganisationOut
    cast_by: VoterOut | None
    cast_at: datetime.datetime
    abstained: bool
    comment: str
    entries: list[BallotEntryOut]


class BallotPageOut(PageOut):
    results: list[BallotOut]


class ResultsFilters(Schema):
    format: str = Field(
        "json",
        description="json, csv or xlsx.",
        json_schema_extra={"enum": ["json", "csv", "xlsx"]},
    )


class ResultsOut(Schema):
    round: uuid.UUID
    closed_at: datetime.datetime | None
    results: list[ResultOut]


# Helpers ---------------------------------------------------------------------------------------


def _refused(error):
    """A service's refusal: 422 with messages per field when it names fields, otherwise 409
    (not possible in the round's current state)."""
    if hasattr(error, "error_dict"):
        raise Problem(422, errors={k: [str(m) for m in v] for k, v in error.message_dict.items()})
    raise Problem(409, " ".join(str(message) for message in error.messages))


def _require_runner(user):
    access.require_reader(user)
    if not access.can_run_meetings(user):
        raise Problem(
            403,
            _("Only the secretariat, the lead authority and administrators prepare rounds."),
        )


def _round_form(data, instance=None):
    form = RoundForm(data=data, instance=instance)
    form.fields["challenges"].to_field_name = "public_id"
    return form


def _confirm(payload):
    if not payload.confirm:
        raise Problem(422, errors={"confirm": [_("Send confirm: true to go ahead.")]})


def _summary(prioritisation_round):
    return {
        "public_id": prioritisation_round.public_id,
        "title": prioritisation_round.title,
        "method": prioritisation_round.method,
        "status": prioritisation_round.status,
        "closes_at": prioritisation_round.closes_at,
        "closed_at": prioritisation_round.closed_at,
        "challenges": prioritisation_round.challenge_count,
        "ballots": prioritisation_round.ballot_count,
        "own_organisation_voted": prioritisation_round.has_voted,
    }


# Endpoints -------------------------------------------------------------------------------------


@router.get(
    "/prioritisation-rounds",
    response={200: RoundPageOut, **LIST},
    url_name="prioritisation_round_list",
    summary="List prioritisation rounds",
)
def round_list(request, filters: Query[RoundFilters]):
    """Open rounds first (closing soonest first), then closed ones (latest first), then
    drafts, with whether the caller's organisation has voted."""
    access.require_reader(request.auth)
    rounds = services.rounds_for_list(request.auth)
    if filters.status:
        if filters.status not in RoundStatus.values:
            raise Problem(400, errors={"status": [_("Unknown status.")]})
        rounds = rounds.filter(status=filters.status)
    return paginate(rounds, filters, _summary)


@router.post(
    "/prioritisation-rounds",
    response={201: RoundOut, **WRITE},
    url_name="prioritisation_round_create",
    summary="Prepare a prioritisation round",
)
def round_create(request, payload: RoundIn):
    """Prepare a draft round (the secretariat, the lead authority and administrators); fields
    not sent take their defaults. Open it with `/open`."""
    _require_runner(request.auth)
    defaults = {
        "method": RoundMethod.SCORE,
        "weight_impact": "40",
        "weight_urgency": "40",
        "weight_feasibility": "20",
        "priorities_count": 3,
        "challenges": [],
    }
    form = _round_form({**defaults, **input_changes(payload, partial=True)})
    prioritisation_round = save_form(form, services.round_save)
    return Status(201, results.round_data(prioritisation_round, request.auth))


@router.get(
    "/prioritisation-rounds/{public_id}",
    response={200: RoundOut, **READ},
    url_name="prioritisation_round_detail",
    summary="Get a prioritisation round",
)
def round_detail(request, public_id: str):
    """The round, its challenges, the turnout and, once closed, its results."""
    prioritisation_round = access.get_round_for_user(request.auth, public_id)
    return results.round_data(prioritisation_round, request.auth)


def _state_change(request, public_id, payload, change):
    prioritisation_round = access.get_round_for_user(request.auth, public_id, write=True)
    _confirm(payload)
    try:
        change(prioritisation_round=prioritisation_round)
    except ValidationError as error:
        _refused(error)
    return results.round_data(prioritisation_round, request.auth)


@router.post(
    "/prioritisation-rounds/{public_id}/open",
    response={200: RoundOut, **WRITE},
    url_name="prioritisation_round_open",
    summary="Open a prioritisation round",
)
def round_open(request, public_id: str, payload: RoundConfirmIn):
    """Open a draft round for voting until its closing time (send `confirm: true`)."""
    return _state_change(request, public_id, payload, services.round_open)


@router.post(
    "/prioritisation-rounds/{public_id}/close",
    response={200: RoundOut, **WRITE},
    url_name="prioritisation_round_close",
    summary="Close a prioritisation round",
)
def round_close(request, public_id: str, payload: RoundConfirmIn):
    """Close an open round, early too (send `confirm: true`): its challenges are ranked, the
    results kept, and the top-ranked ones that are identified or under discussion become
    priorities."""
    return _state_change(request, public_id, payload, services.round_close)


@router.get(
    "/prioritisation-rounds/{public_id}/ballots",
    response={200: BallotPageOut, **READ},
    url_name="prioritisation_round_ballots",
    summary="List the ballots of a prioritisation round",
)
def round_ballots(request, public_id: str, params: Query[PageParams]):
    """Every ballot for the secretariat, the lead authority and administrators; for others,
    their own organisation's ballot."""
    prioritisation_round = access.get_round_for_user(request.auth, public_id)
    ballots = prioritisation_round.ballots.all()
    if not access.can_run_meetings(request.auth):
        person = access.person_of(request.auth)
        ballots = ballots.filter(organisation_id=person.organisation_id if person else None)
    ballots = services.with_entries(ballots).order_by("cast_at", "id")
    return paginate(ballots, params, results.ballot_data)


@router.post(
    "/prioritisation-rounds/{public_id}/ballots",
    response={201: BallotOut, **WRITE},
    url_name="prioritisation_round_vote",
    summary="Cast a ballot in a prioritisation round",
)
def round_vote(request, public_id: str, payload: BallotIn):
    """Cast the ballot of the caller's organisation: one per organisation, final once cast."""
    prioritisation_round = access.get_round_for_user(request.auth, public_id)
    if not access.can_vote(request.auth):
        raise Problem(
            403,
            _("Only someone who speaks for a member organisation votes; observers only read."),
        )
    try:
        ballot = services.ballot_cast(
            prioritisation_round=prioritisation_round,
            person=access.person_of(request.auth),
            entries=[entry.model_dump() for entry in payload.entries],
            abstained=payload.abstained,
            comment=payload.comment,
        )
    except ValidationError as error:
        _refused(error)
    ballot = services.with_entries(type(ballot).objects).get(pk=ballot.pk)
    return Status(201, results.ballot_data(ballot))


@router.get(
    "/prioritisation-rounds/{public_id}/results",
    response={200: ResultsOut, **error_responses(400, 403, 404, 409)},
    url_name="prioritisation_round_results",
    summary="Get the results of a prioritisation round",
    openapi_extra={
        "responses": {
            200: {
                "description": "The results (JSON, or a CSV or XLSX download).",
                "content": {
                    CONTENT_TYPES[fmt].split(";")[0]: {
                        "schema": {"type": "string", "format": "binary"}
                    }
                    for fmt in ("csv", "xlsx")
                },
            }
        }
    },
)
def round_results(request, public_id: str, filters: Query[ResultsFilters]):
    """The ranked challenges of a closed round with votes, abstentions, the spread by
    constituency and the comparison with the previous closed round that included each."""
    prioritisation_round = access.get_round_for_user(request.auth, public_id)
    if filters.format not in ("json", *CONTENT_TYPES):
        raise Problem(400, errors={"format": [_("Use json, csv or xlsx.")]})
    if prioritisation_round.status != RoundStatus.CLOSED:
        raise Problem(409, _("The results are published when the round closes."))
    rows = results.round_results(prioritisation_round)
    if filters.format != "json":
        return table_response(
            results.results_columns(rows),
            rows,
            fmt=filters.format,
            filename=f"prioritisation-round-{prioritisation_round.public_id}",
            title=_("Results"),
        )
    visible_ids = results.visible_challenge_ids(prioritisation_round, request.auth)
    return {
        "round": prioritisation_round.public_id,
        "closed_at": prioritisation_round.closed_at,
        "results": [results.result_data(row, visible_ids) for row in rows],
    }
