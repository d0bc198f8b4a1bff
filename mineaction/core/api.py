"""The API's building blocks shared by every app's router, and the core endpoints.

Building blocks: authentication (personal tokens, or the logged-in session with CSRF for
writes), errors as RFC 9457 problem details, validation of writes with the same Django forms as
the pages, and pagination. Endpoints: who am I (`/me`) and the country profile.
"""

import datetime
import functools
import uuid

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from mineaction.core import access, audit
from mineaction.core.forms import CountryProfileForm
from mineaction.core.models import ApiToken, CountryProfile

PROBLEM_CONTENT_TYPE = "application/problem+json"
INVALID_INPUT_TYPE = "urn:mineaction:problem:invalid-input"
NON_FIELD_ERRORS = "__all__"
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

PROBLEM_TITLES = {
    400: _("Bad request"),
    401: _("Authentication required"),
    403: _("Permission denied"),
    404: _("Not found"),
    405: _("Method not allowed"),
    406: _("Not acceptable"),
    409: _("Conflict"),
    410: _("Gone"),
    413: _("Content too large"),
    415: _("Unsupported media type"),
    422: _("Invalid input"),
    429: _("Too many requests"),
    500: _("Internal server error"),
    503: _("Service unavailable"),
}
PROBLEM_DETAILS = {
    400: _("The request could not be understood. See the errors for each field."),
    401: _(
        "Send a personal API token in the Authorization header (Authorization: Bearer "
        "map_...), or log in."
    ),
    403: _("You are not allowed to do this."),
    404: _("There is no such record, or you are not allowed to see it."),
    405: _("This address does not accept this method."),
    406: _("This address cannot answer in any of the formats the request accepts."),
    409: _("The change conflicts with the current state of the records. Reload and try again."),
    410: _("This is no longer available: it has expired or been withdrawn."),
    413: _("The request is too large."),
    415: _("Send the request body as JSON (Content-Type: application/json)."),
    422: _("Some values are not valid. See the errors for each field."),
    429: _("Too many requests. Wait a moment and try again."),
    500: _("Something went wrong on the platform. Try again later."),
    503: _("The platform is not available at the moment. Try again later."),
}


# Problems (RFC 9457) ---------------------------------------------------------------------------


class Problem(Exception):
    """An error answered as application/problem+json; raise it from any endpoint."""

    def __init__(self, status, detail=None, *, errors=None, headers=None):
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        super().__init__(status, detail)


class ProblemOut(Schema):
    """An error (RFC 9457 problem details); `errors` lists messages per field."""

    type: str = Field(examples=["about:blank"])
    title: str
    status: int
    detail: str
    errors: dict[str, list[str]] | None = Field(
        None, description="Messages per input field; `__all__` for the request as a whole."
    )


def problem_response(status, detail=None, *, errors=None, headers=None):
    body = {
        "type": INVALID_INPUT_TYPE if status == 422 else "about:blank",
        "title": str(PROBLEM_TITLES.get(status, _("Error"))),
        "status": status,
        "detail": str(detail if detail is not None else PROBLEM_DETAILS.get(status, "")),
    }
    if errors:
        body["errors"] = {field: [str(m) for m in messages] for field, messages in errors.items()}
    response = JsonResponse(
        body, status=status, content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"indent": None}
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_responses(*statuses):
    """The `response=` entries documenting an endpoint's possible problems."""
    return dict.fromkeys((401, *statuses), ProblemOut)


# Authentication --------------------------------------------------------------------------------


def _authenticated(request, user):
    """Make `user` the request's user and speak their language unless the client asked for one."""
    request.user = user
    if (
        "HTTP_ACCEPT_LANGUAGE" not in request.META
        and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
    ):
        translation.activate(user.language)
        request.LANGUAGE_CODE = translation.get_language()
    return user


class BearerToken(HttpBearer):
    """`Authorization: Bearer map_...`: a personal API token."""

    def authenticate(self, request, token):
        user = ApiToken.authenticate(token.strip())
        if user is None:
            raise Problem(
                401,
                _("The API token is not valid: it is wrong, expired or revoked."),
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        return _authenticated(request, user)


class LoggedInSession(APIKeyCookie):
    """The logged-in session of the pages (used by the docs page); writes need the CSRF token.

    Privileged roles must have two-factor authentication, as on the pages.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise Problem(403, _("The CSRF token is missing or wrong. Reload the page."))
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated:
            return None
        if (
            settings.TWO_FACTOR_REQUIRED_FOR_PRIVILEGED
            and access.is_privileged(user)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            raise Problem(403, _("Set up two-factor authentication before using the API."))
        return _authenticated(request, user)


AUTHENTICATION = [BearerToken(), LoggedInSession()]


def act_as_api_user(operation):
    """Record the authenticated user as the actor of every change the operation makes."""

    @functools.wraps(operation)
    def run(request, *args, **kwargs):
        with audit.acting_as(getattr(request, "auth", None)):
            return operation(request, *args, **kwargs)

    return run


# Validation with the pages' forms --------------------------------------------------------------


def form_errors(form):
    return {
        field: [str(message) for message in messages] for field, messages in form.errors.items()
    }


def save_form(form, save=None):
    """Validate `form` and save it in one transaction; a failure changes nothing."""
    if not form.is_valid():
        raise Problem(422, errors=form_errors(form))
    try:
        with transaction.atomic():
            return save(form=form) if save is not None else form.save()
    except IntegrityError:
        raise Problem(409) from None


def input_changes(payload, *, partial):
    """The fields a client sent (PATCH) or all fields with their defaults (POST and PUT)."""
    return payload.model_dump(exclude_unset=partial)


def input_schema_extra(required):
    """Document required fields without letting pydantic refuse them: the forms do, so the
    messages are those of the pages, in the request's language."""

    def extra(schema):
        schema["required"] = list(required)

    return extra


def text(description=None, **extra):
    return Field(None, description=description, json_schema_extra=extra or None)


def choice(choices, description=None):
    return Field(
        None,
        description=description,
        json_schema_extra={"enum": [value for value, _label in choices]},
    )


def date(description=None):
    return Field(None, description=description, json_schema_extra={"format": "date"})


def public_id_field(description=None):
    return Field(None, description=description, json_schema_extra={"format": "uuid"})


# Pagination ------------------------------------------------------------------------------------


class PageParams(Schema):
    page: int = Field(1, ge=1, description="The page to show, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Records per page."
    )


def paginate(queryset, params, serialise):
    """One page of `queryset` with the total count; pages past the end are empty."""
    count = queryset.count()
    start = (params.page - 1) * params.page_size
    records = list(queryset[start : start + params.page_size]) if start < count else []
    return {
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
        "results": [serialise(record) for record in records],
    }


class PageOut(Schema):
    count: int = Field(description="Records matching the filters, on every page.")
    page: int
    page_size: int


# Endpoints -------------------------------------------------------------------------------------

router = Router(tags=["core"])


class OrganisationRefOut(Schema):
    public_id: uuid.UUID
    name: str
    acronym: str


class PersonRefOut(Schema):
    public_id: uuid.UUID
    given_name: str
    family_name: str
    organisation: OrganisationRefOut


class UserOut(Schema):
    public_id: uuid.UUID
    email: str
    language: str


class MeOut(Schema):
    user: UserOut
    person: PersonRefOut | None
    roles: list[str] = Field(description="Roles held today, sorted.")


def organisation_ref(organisation):
    return {
        "public_id": organisation.public_id,
        "name": organisation.name,
        "acronym": organisation.acronym,
    }


def person_ref(person):
    return {
        "public_id": person.public_id,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "organisation": organisation_ref(person.organisation),
    }


@router.get("/me", response={200: MeOut, **error_responses()}, summary="Who am I")
def me(request):
    """The authenticated user, the person they are and the roles they hold today."""
    user = request.auth
    person = access.person_of(user)
    return {
        "user": {"public_id": user.public_id, "email": user.email, "language": user.language},
        "person": person_ref(person) if person is not None else None,
        "roles": sorted(access.roles_of(user)),
    }


class DeadlineChangeOut(Schema):
    new_deadline: datetime.date
    decided_on: datetime.date
    decision: str
    reference_url: str


class CountryProfileOut(Schema):
    public_id: uuid.UUID
    name: str
    iso3: str
    official_languages: list[str]
    currency: str
    convention_entry_into_force: datetime.date | None
    original_article5_deadline: datetime.date | None
    article5_deadline: datetime.date | None = Field(
        description="The deadline in force: the latest extension, or the original deadline."
    )
    deadline_changes: list[DeadlineChangeOut]
    is_demo: bool


class CountryProfileIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["name", "iso3", "currency"]),
    }

    name: str | None = text("The State.")
    iso3: str | None = text("ISO 3166 alpha-3 code, such as KHM.")
    official_languages: list[str] = Field(
        default_factory=list,
        description="Platform language codes that are official languages of the State.",
        json_schema_extra={"items": {"enum": [code for code, _name in settings.LANGUAGES]}},
    )
    currency: str | None = text("ISO 4217 code, such as USD.")
    convention_entry_into_force: str | None = date()
    original_article5_deadline: str | None = date()


def country_profile_out(profile):
    article5 = profile.article5_status()
    changes = article5["extensions"]
    return {
        "public_id": profile.public_id,
        "name": profile.name,
        "iso3": profile.iso3,
        "official_languages": profile.official_languages,
        "currency": profile.currency,
        "convention_entry_into_force": profile.convention_entry_into_force,
        "original_article5_deadline": profile.original_article5_deadline,
        "article5_deadline": article5["deadline"],
        "deadline_changes": [
            {
                "new_deadline": change.new_deadline,
                "decided_on": change.decided_on,
                "decision": change.decision,
                "reference_url": change.reference_url,
            }
            for change in changes
        ],
        "is_demo": profile.is_demo,
    }


@router.get(
    "/country-profile",
    response={200: CountryProfileOut, **error_responses(403, 404)},
    summary="Country profile",
)
def country_profile(request):
    """The State this platform serves, with its Article 5 deadline and extensions."""
    access.require_reader(request.auth)
    profile = CountryProfile.load()
    if profile is None:
        raise Problem(404, _("The country profile has not been set up yet."))
    return country_profile_out(profile)


@router.put(
    "/country-profile",
    response={200: CountryProfileOut, 201: CountryProfileOut, **error_responses(403, 422)},
    summary="Set the country profile",
)
def country_profile_update(request, payload: CountryProfileIn):
    """Set the country profile (lead authority and administrators). Creates it if missing."""
    access.require_reader(request.auth)
    if not access.can_edit_profile(request.auth):
        raise Problem(403, _("Only the lead authority and administrators set the country profile."))
    profile = CountryProfile.load()
    form = CountryProfileForm(data=input_changes(payload, partial=False), instance=profile)
    saved = save_form(form)
    return Status(201 if profile is None else 200, country_profile_out(saved))
