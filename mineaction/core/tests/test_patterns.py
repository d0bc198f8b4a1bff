import pytest

from mineaction.conftest import PERSONAS

READERS = {p for p in PERSONAS if p not in {"anonymous", "outsider"}}


@pytest.mark.parametrize("persona", PERSONAS)
def test_patterns_page_is_for_logged_in_members(clients, persona):
    response = clients[persona].get("/patterns/")
    if persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if persona in READERS else 403)


def test_patterns_page_shows_every_component(clients):
    text = clients["member"].get("/patterns/").text
    for component in [
        'class="button-secondary"',
        'class="button-danger"',
        'class="message message-error"',
        'class="badge badge-warn"',
        'class="cards"',
        "<table>",
        'class="errorlist"',
        'aria-invalid="true"',
        'class="pagination"',
        'class="details"',
    ]:
        assert component in text, component
    assert "Ensure this value has at most 20 characters" in text
    assert "Enter a valid email address." in text
