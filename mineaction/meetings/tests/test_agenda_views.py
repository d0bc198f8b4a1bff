"""Pages of the agenda part: add, edit, remove and reorder items, attach documents."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mineaction.core.choices import Visibility
from mineaction.core.uploads import MAX_DOCUMENT_SIZE
from mineaction.meetings.models import AgendaDocument, AgendaItem, Meeting
from mineaction.meetings.services.agenda import agenda_propose
from mineaction.meetings.tests.meetings_support import make_action_point, make_meeting, make_series

READERS = ["observer", "member", "lead_donor", "data_manager"]
RUNNERS = ["secretariat", "lead_authority", "administrator"]
PDF = b"%PDF-1.7\n%test\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def meeting(people):
    meeting = make_meeting(make_series())
    agenda_propose(meeting=meeting)
    return meeting


def titles(meeting):
    return list(meeting.agenda_items.order_by("order").values_list("order", "title"))


def item(meeting, order):
    return meeting.agenda_items.get(order=order)


@pytest.mark.parametrize("persona", RUNNERS)
def test_meeting_runners_add_an_item_at_the_end(clients, meeting, persona):
    response = clients[persona].post(
        reverse("meetings:agenda_create", args=[meeting.public_id]),
        {"title": "Survey results", "kind": "discussion", "duration_minutes": "20"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#agenda")
    assert titles(meeting)[-1] == (5, "Survey results")


@pytest.mark.parametrize("persona", ["outsider", *READERS])
def test_readers_may_not_add_items(clients, meeting, persona):
    response = clients[persona].post(
        reverse("meetings:agenda_create", args=[meeting.public_id]),
        {"title": "Survey results", "kind": "discussion", "duration_minutes": "20"},
    )
    assert response.status_code == (404 if persona == "outsider" else 403)
    assert meeting.agenda_items.count() == 4


def test_an_item_needs_a_title_and_a_positive_duration(clients, meeting):
    response = clients["secretariat"].post(
        reverse("meetings:agenda_create", args=[meeting.public_id]),
        {"title": "", "kind": "discussion", "duration_minutes": "0"},
    )
    assert response.context["form"].errors == {
        "title": ["This field is required."],
        "duration_minutes": ["Ensure this value is greater than or equal to 1."],
    }
    assert meeting.agenda_items.count() == 4


def test_editing_an_item_attaches_open_action_points_of_the_series(clients, meeting, ngo_org):
    earlier = make_meeting(meeting.series, number=0 + 9)
    point = make_action_point(earlier, ngo_org, "Map the hazardous areas")
    response = clients["secretariat"].post(
        reverse("meetings:agenda_edit", args=[item(meeting, 4).public_id]),
        {
            "title": "Any other business",
            "kind": "discussion",
            "duration_minutes": "10",
            "reviewed_action_points": [str(point.public_id)],
        },
    )
    assert response.status_code == 302
    assert list(item(meeting, 4).reviewed_action_points.all()) == [point]


def test_moving_an_item_works_without_javascript(clients, meeting):
    response = clients["secretariat"].post(
        reverse("meetings:agenda_move", args=[item(meeting, 4).public_id]), {"direction": "up"}
    )
    assert response.status_code == 302
    assert titles(meeting) == [
        (1, "Opening and adoption of the agenda"),
        (2, "Review of open action points"),
        (3, "Any other business"),
        (4, "Review of priority challenges"),
    ]


def test_moving_with_htmx_answers_the_agenda_only(clients, meeting):
    response = clients["secretariat"].post(
        reverse("meetings:agenda_move", args=[item(meeting, 1).public_id]),
        {"direction": "down"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="agenda"')
    assert titles(meeting)[0] == (1, "Review of open action points")


def test_the_first_item_does_not_move_further_up(clients, meeting):
    before = titles(meeting)
    clients["secretariat"].post(
        reverse("meetings:agenda_move", args=[item(meeting, 1).public_id]), {"direction": "up"}
    )
    assert titles(meeting) == before


def test_a_reader_may_not_move_items(clients, meeting):
    before = titles(meeting)
    response = clients["member"].post(
        reverse("meetings:agenda_move", args=[item(meeting, 3).public_id]), {"direction": "up"}
    )
    assert response.status_code == 403
    assert titles(meeting) == before


def test_removing_an_item_renumbers_the_rest(clients, meeting):
    url = reverse("meetings:agenda_delete", args=[item(meeting, 1).public_id])
    assert clients["secretariat"].get(url).status_code == 200
    assert clients["secretariat"].post(url).status_code == 302
    assert titles(meeting) == [
        (1, "Review of open action points"),
        (2, "Review of priority challenges"),
        (3, "Any other business"),
    ]


def test_the_agenda_of_a_closed_meeting_cannot_change(clients, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    response = clients["secretariat"].post(
        reverse("meetings:agenda_delete", args=[item(meeting, 1).public_id])
    )
    assert response.status_code == 403
    assert meeting.agenda_items.count() == 4


# Documents -------------------------------------------------------------------------------------


def upload(client, agenda_item, name, content, title="Survey report"):
    return client.post(
        reverse("meetings:agenda_document_add", args=[agenda_item.public_id]),
        {"title": title, "file": SimpleUploadedFile(name, content)},
    )


def test_the_secretariat_attaches_a_pdf_and_readers_download_it(clients, meeting):
    response = upload(clients["secretariat"], item(meeting, 2), "report.pdf", PDF)
    assert response.status_code == 302
    document = AgendaDocument.objects.get()
    download = clients["observer"].get(
        reverse("meetings:agenda_document_download", args=[document.public_id])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert (
        clients["outsider"]
        .get(reverse("meetings:agenda_document_download", args=[document.public_id]))
        .status_code
        == 404
    )


def test_a_forbidden_file_type_is_refused(clients, meeting):
    response = upload(clients["secretariat"], item(meeting, 2), "run.exe", b"MZ\x90\x00")
    assert response.context["form"].errors == {
        "file": [
            "Files of this type cannot be attached. Attach a PDF, DOCX, XLSX, PPTX, ODT, ODS, "
            "PNG or JPEG file."
        ]
    }
    assert not AgendaDocument.objects.exists()


def test_a_file_whose_content_does_not_match_its_name_is_refused(clients, meeting):
    response = upload(clients["secretariat"], item(meeting, 2), "report.pdf", b"MZ\x90\x00")
    assert response.context["form"].errors == {
        "file": ["The file's content is not a PDF file, as its name says."]
    }
    assert not AgendaDocument.objects.exists()


def test_a_file_over_20_megabytes_is_refused(clients, meeting):
    content = PDF + b"0" * (MAX_DOCUMENT_SIZE + 1024 * 1024 - len(PDF))
    response = upload(clients["secretariat"], item(meeting, 2), "report.pdf", content)
    assert response.context["form"].errors == {
        "file": ["The file is 21.0\xa0MB; the limit is 20 MB."]
    }
    assert not AgendaDocument.objects.exists()


def test_a_member_may_not_attach_documents(clients, meeting):
    response = upload(clients["member"], item(meeting, 2), "report.pdf", PDF)
    assert response.status_code == 403
    assert not AgendaDocument.objects.exists()


def test_documents_of_a_restricted_meeting_are_hidden_from_other_organisations(
    clients, meeting, donor_org
):
    meeting.visibility = Visibility.RESTRICTED
    meeting.save()
    meeting.restricted_to.set([donor_org])
    upload(clients["secretariat"], item(meeting, 2), "report.pdf", PDF)
    url = reverse(
        "meetings:agenda_document_download", args=[AgendaDocument.objects.get().public_id]
    )
    assert clients["member"].get(url).status_code == 404
    assert clients["lead_donor"].get(url).status_code == 200


def test_removing_a_document(clients, meeting):
    upload(clients["secretariat"], item(meeting, 2), "report.pdf", PDF)
    document = AgendaDocument.objects.get()
    url = reverse("meetings:agenda_document_delete", args=[document.public_id])
    assert clients["member"].post(url).status_code == 403
    assert clients["secretariat"].post(url).status_code == 302
    assert not AgendaDocument.objects.exists()
    assert AgendaItem.objects.count() == 4
