"""The API assembly: one django-ninja API at /api/v1/ built from each app's router.

It adds what every endpoint shares: authentication (personal tokens or the logged-in session),
the audit actor, errors as RFC 9457 problem details in the request's language, and a docs page
served entirely from our own static files under our Content-Security-Policy.
"""

import functools

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.forms import Field as FormField
from django.forms import ModelChoiceField
from django.http import Http404
from django.urls import re_path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger

from mineaction.challenges import api as challenges_api
from mineaction.core import api as core_api
from mineaction.core.api import (
    AUTHENTICATION,
    NON_FIELD_ERRORS,
    PROBLEM_CONTENT_TYPE,
    Problem,
    act_as_api_user,
    problem_response,
)
from mineaction.dashboard import api as dashboard_api
from mineaction.funding import api as funding_api
from mineaction.landrelease import api as landrelease_api
from mineaction.meetings import api as meetings_api
from mineaction.partnerships import api as partnerships_api
from mineaction.policies import api as policies_api
from mineaction.stakeholders import api as stakeholders_api
from mineaction.workplans import api as workplans_api

# Messages for pydantic's error types. Where Django has the same message we use its text, so
# it comes already translated in every language.
PYDANTIC_MESSAGES = {
    "missing": FormField.default_error_messages["required"],
    "string_type": _("Enter a text value."),
    "bool_type": _("Enter true or false."),
    "bool_parsing": _("Enter true or false."),
    "int_type": "Enter a whole number.",
    "int_parsing": "Enter a whole number.",
    "uuid_type": "Enter a valid UUID.",
    "uuid_parsing": "Enter a valid UUID.",
    "enum": ModelChoiceField.default_error_messages["invalid_choice"],
    "list_type": _("Enter a list of values."),
    "extra_forbidden": _("This field is not recognised."),
    "model_attributes_type": _("The request body must be a JSON object."),
    "dict_type": _("The request body must be a JSON object."),
    "greater_than_equal": "Ensure this value is greater than or equal to %(limit_value)s.",
    "less_than_equal": "Ensure this value is less than or equal to %(limit_value)s.",
}
LIMITS = {"greater_than_equal": "ge", "less_than_equal": "le"}
HTTP_ERROR_DETAILS = {"Cannot parse request body": _("The request body is not valid JSON.")}


def _pydantic_message(error):
    message = gettext(str(PYDANTIC_MESSAGES.get(error["type"], _("This value is not valid."))))
    limit = LIMITS.get(error["type"])
    if limit:
        message = message % {"limit_value": error.get("ctx", {}).get(limit)}
    return message


def _field_name(location):
    # ("body", "payload", "name") -> "name"; ("query", "page") -> "page"
    parts = [str(part) for part in location[1:]]
    if location and location[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or NON_FIELD_ERRORS


class PlatformSwagger(Swagger):
    """Swagger UI from django-ninja's own static files, scripts carrying the CSP nonce, and no
    request to any other site (no validator badge)."""

    template = "core/api_docs.html"

    def render_page(self, request, api, **kwargs):
        from django.shortcuts import render

        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"swagger_settings": settings, "openapi_url": settings["url"], "api": api}
        return render(request, self.template, context)


def _problem_view(view):
    """Answer problem+json where ninja would answer a wrong method or the API root in HTML."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return problem_response(404)
        if response.status_code == 405 and response.get("Content-Type") != PROBLEM_CONTENT_TYPE:
            return problem_response(405, headers={"Allow": response["Allow"]})
        return response

    return wrapped


def _not_found(request, *args, **kwargs):
    return problem_response(404)


class PlatformAPI(NinjaAPI):
    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            pattern.callback = _problem_view(pattern.callback)
        not_found = _problem_view(_not_found)
        not_found.csrf_exempt = True
        return [*patterns, re_path(r"^.*$", not_found, name="not-found")]

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    if int(status) >= 400 and "content" in response:
                        response["content"] = {
                            PROBLEM_CONTENT_TYPE: response["content"]["application/json"]
                        }
        return schema


api = PlatformAPI(
    title="Mine Action Platform API",
    version="1",
    description=(
        "Read and change the platform's records with the same rules as its pages. "
        "Authenticate with a personal API token: `Authorization: Bearer map_...` (create one "
        "on your API tokens page, or with `mineaction issue-token EMAIL`). Errors are RFC 9457 "
        "problem details (`application/problem+json`) in the language of the request "
        "(Accept-Language) or of your account."
    ),
    urls_namespace="api",
    auth=AUTHENTICATION,
    docs=PlatformSwagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
api.add_decorator(act_as_api_user)
api.add_router("", core_api.router)
api.add_router("", stakeholders_api.router)
api.add_router("", meetings_api.router)
api.add_router("", landrelease_api.router)
api.add_router("", challenges_api.router)
api.add_router("", workplans_api.router)
api.add_router("", policies_api.router)
api.add_router("", partnerships_api.router)
api.add_router("", funding_api.router)
api.add_router("", dashboard_api.router)


@api.exception_handler(Problem)
def _problem(request, exc):
    return problem_response(exc.status, exc.detail, errors=exc.errors, headers=exc.headers)


@api.exception_handler(ValidationError)
def _invalid_request(request, exc):
    errors = {}
    for error in exc.errors:
        errors.setdefault(_field_name(error["loc"]), []).append(_pydantic_message(error))
    return problem_response(400, errors=errors)


@api.exception_handler(AuthenticationError)
def _not_authenticated(request, exc):
    return problem_response(401, headers={"WWW-Authenticate": "Bearer"})


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return problem_response(exc.status_code, HTTP_ERROR_DETAILS.get(exc.message))


@api.exception_handler(Http404)
def _not_found_error(request, exc):
    return problem_response(404)


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc):
    return problem_response(403)


@api.exception_handler(IntegrityError)
def _conflict(request, exc):
    return problem_response(409)
