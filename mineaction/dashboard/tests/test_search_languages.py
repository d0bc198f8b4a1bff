"""Search finds records in every UI language, on the page and in the API: accents, case,
Cyrillic ё, Arabic vowel marks and letter variants, and Chinese without spaces."""

import pytest

from mineaction.challenges.tests.factories import make_challenge
from mineaction.core.tests.api_support import token_client
from mineaction.dashboard.tests.factories import (
    make_action_point,
    make_activity,
    make_instrument,
    make_meeting,
    make_minutes,
    make_work_plan,
)
from mineaction.meetings.models import Minutes


def found(client, query):
    """{kind: [titles]} of what the search page finds."""
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return {
        group.kind.key: [result.title for result in group.results]
        for group in response.context["groups"]
    }


@pytest.fixture
def member(clients):
    return clients["member"]


@pytest.mark.parametrize("query", ["deminage", "DÉMINAGE", "Déminage", "déminage humanitaire"])
def test_french_accents_and_case_do_not_matter(member, ngo_org, query):
    challenge = make_challenge("Déminage humanitaire à l'Est", ngo_org)
    assert found(member, query) == {"challenges": [str(challenge)]}


def test_french_match_is_marked_in_its_written_form(member, ngo_org):
    make_challenge("Déminage humanitaire à l'Est", ngo_org)
    response = member.get("/search/", {"q": "DEMINAGE"})
    assert "<mark>Déminage</mark> humanitaire à l&#x27;Est" in response.text


def test_a_word_that_is_not_there_finds_nothing(member, ngo_org):
    make_challenge("Déminage humanitaire à l'Est", ngo_org)
    assert found(member, "déminages") == {}


@pytest.mark.parametrize("query", ["senalizacion", "SEÑALIZACIÓN", "educacion riesgo"])
def test_spanish_accents_and_tilde_do_not_matter(member, ngo_org, query):
    activity = make_activity(
        make_work_plan(),
        "Señalización de zonas peligrosas",
        ngo_org,
        description="Educación sobre el riesgo de las minas.",
    )
    assert found(member, query) == {"activities": [str(activity)]}


@pytest.mark.parametrize("query", ["УЧЕТ", "учёт", "Учет разминированных", "РАЗМИНИРОВАННЫХ"])
def test_russian_case_and_yo_do_not_matter(member, query):
    make_instrument("Учёт разминированных территорий")
    assert found(member, query) == {"instruments": ["Учёт разминированных территорий"]}


def test_russian_e_in_the_text_is_found_by_a_query_with_yo(member):
    make_instrument("Учет мин")
    assert found(member, "учёт") == {"instruments": ["Учет мин"]}


ARABIC_DISCUSSION = "ناقش الفريق إزالة الألغام في المَسْح التقني للمنطقة الشرقية وقرب المستشفى."


@pytest.mark.parametrize(
    "query",
    [
        "ازالة الالغام",  # alef without hamza
        "المسح",  # without the vowel marks
        "المَسْح",  # with them
        "منطقه",  # ha for ta marbuta
        "المستشفي",  # ya for alef maqsura
        "إزالة",  # as written
    ],
)
def test_arabic_vowel_marks_and_letter_variants_do_not_matter(member, query):
    meeting = make_meeting(title="اجتماع الفريق التقني")
    make_minutes(meeting, ARABIC_DISCUSSION, status=Minutes.Status.DISTRIBUTED, language="ar")
    assert found(member, query) == {"minutes": ["Minutes of اجتماع الفريق التقني: Progress report"]}


def test_arabic_snippet_marks_the_word_with_its_vowel_marks_and_carries_its_language(member):
    meeting = make_meeting(title="اجتماع الفريق التقني")
    make_minutes(meeting, ARABIC_DISCUSSION, status=Minutes.Status.DISTRIBUTED, language="ar")
    text = member.get("/search/", {"q": "المسح"}).text
    assert '<p class="search-snippet" lang="ar">' in text
    assert "في <mark>المَسْح</mark> التقني" in text


@pytest.mark.parametrize("query", ["排雷", "行动计划", "排雷 部长", "国家排雷行动"])
def test_chinese_is_found_by_any_part_without_spaces(member, ngo_org, query):
    meeting = make_meeting(title="技术工作组会议")
    make_action_point(meeting, "制定国家排雷行动计划并提交部长", ngo_org)
    assert found(member, query) == {"action_points": ["Action point agreed at 技术工作组会议"]}


def test_chinese_characters_not_in_the_text_find_nothing(member, ngo_org):
    make_action_point(make_meeting(), "制定国家排雷行动计划并提交部长", ngo_org)
    assert found(member, "地雷") == {}


def test_quoted_words_are_found_only_together(member, ngo_org):
    make_challenge("Mine risk education in schools", ngo_org)
    make_challenge("Education on the risk of each mine", ngo_org)
    assert found(member, '"mine risk"') == {"challenges": ["CH-001 Mine risk education in schools"]}
    assert found(member, "mine risk") == {
        "challenges": [
            "CH-002 Education on the risk of each mine",
            "CH-001 Mine risk education in schools",
        ]
    }


def test_every_term_must_match(member, ngo_org):
    make_challenge("Mine risk education in schools", ngo_org)
    make_challenge("Mine risk education in villages", ngo_org)
    assert found(member, "mine schools") == {
        "challenges": ["CH-001 Mine risk education in schools"]
    }
    assert found(member, "mine hospitals") == {}


def test_the_api_folds_the_same_way(people, ngo_org):
    make_challenge("Déminage humanitaire", ngo_org)
    make_instrument("Учёт мин")
    client = token_client(people, "member")
    for query, kind in (("DEMINAGE", "challenges"), ("учет", "instruments")):
        body = client.get("/api/v1/search", {"q": query}).json()
        assert {group["kind"]: group["count"] for group in body["groups"] if group["count"]} == {
            kind: 1
        }
