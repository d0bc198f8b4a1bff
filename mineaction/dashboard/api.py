"""Search API: the same search as the search page, in JSON.

Same access gates, form and functions as the page (`dashboard.search`), so the results, their
order and the messages agree.
"""

import uuid

from ninja import Field, Query, Router, Schema

from mineaction.core import access
from mineaction.core.api import PageParams, Problem, choice, error_responses, form_errors
from mineaction.dashboard import search as search_records

router = Router(tags=["search"])


class SearchParams(PageParams):
    q: str = Field(
        "",
        description=(
            "The words to find (at most 200 characters). Every word must match; a phrase in "
            "double quotes matches as a whole; accents, capital letters and Arabic vowel marks "
            "do not matter."
        ),
    )
    kind: str | None = choice(
        search_records.KIND_CHOICES, "Only this kind of record; every kind when left out."
    )


class SearchResultOut(Schema):
    public_id: uuid.UUID
    title: str
    snippet: str = Field(description="The part of the record's text around the first match.")
    snippet_html: str = Field(
        description="The snippet as HTML: escaped, with every match in <mark>."
    )
    url: str = Field(description="The record's page.")
    details: list[str] = Field(description="What the record is: status, meeting, plan.")
    language: str = Field(description="The language of the text, for minutes; else empty.")


class SearchGroupOut(Schema):
    kind: str = Field(json_schema_extra={"enum": list(search_records.KINDS)})
    label: str
    count: int = Field(description="Matching records of this kind, on every page.")
    page: int
    page_size: int
    results: list[SearchResultOut]


class SearchOut(Schema):
    q: str
    terms: list[str] = Field(description="The terms searched for, as matched (folded).")
    count: int = Field(description="Matching records of the kinds searched.")
    groups: list[SearchGroupOut] = Field(
        description="One group per kind searched, best results first; `page` and `page_size` "
        "apply to each group."
    )


def _result_out(result):
    return {
        "public_id": result.public_id,
        "title": result.title,
        "snippet": result.snippet,
        "snippet_html": str(result.snippet_html),
        "url": result.url,
        "details": [str(detail) for detail in result.details],
        "language": result.language,
    }


@router.get(
    "/search",
    response={200: SearchOut, **error_responses(400, 403)},
    url_name="search",
    summary="Search",
)
def search(request, params: Query[SearchParams]):
    """Challenges, action points, work-plan activities, policy instruments, minutes and
    decisions the caller may see that hold every word of `q`, grouped by kind. An empty `q`
    finds nothing."""
    access.require_reader(request.auth)
    form = search_records.SearchForm(data={"q": params.q, "kind": params.kind or ""})
    if not form.is_valid():
        raise Problem(400, errors=form_errors(form))
    terms = form.terms()
    kind_key = form.cleaned_data["kind"]
    kinds = [search_records.KINDS[kind_key]] if kind_key else search_records.KINDS.values()
    groups = []
    start = (params.page - 1) * params.page_size
    for kind in kinds if terms else []:
        ids = search_records.ranked_ids(kind, request.auth, terms)
        page = search_records.results(kind, ids[start : start + params.page_size], terms)
        groups.append(
            {
                "kind": kind.key,
                "label": str(kind.label),
                "count": len(ids),
                "page": params.page,
                "page_size": params.page_size,
                "results": [_result_out(result) for result in page],
            }
        )
    return {
        "q": params.q,
        "terms": terms,
        "count": sum(group["count"] for group in groups),
        "groups": groups,
    }
