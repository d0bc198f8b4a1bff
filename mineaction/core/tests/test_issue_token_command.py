import datetime

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from django.utils import timezone

from mineaction.core.models import ApiToken


def test_command_prints_a_working_token_for_the_user(people, capsys):
    call_command("issue-token", "NGO.Member@example.org", "--name", "Import script")
    secret = capsys.readouterr().out.strip()
    assert ApiToken.authenticate(secret) == people["member"].user
    token = ApiToken.objects.get()
    assert (token.name, token.expires_at) == ("Import script", None)


def test_command_sets_the_expiry_in_days(people, capsys):
    call_command("issue-token", "ngo.member@example.org", "--expires-days", "7")
    token = ApiToken.objects.get()
    expected = timezone.now() + datetime.timedelta(days=7)
    assert abs(token.expires_at - expected) < datetime.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["nobody@example.org"], "No user has the email address nobody@example.org."),
        (["ngo.member@example.org", "--expires-days", "0"], "--expires-days must be a whole"),
        (["ngo.member@example.org", "--name", " "], "The token name cannot be empty."),
    ],
)
def test_command_refuses_bad_input_with_a_clear_message(people, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("issue-token", *arguments)
    assert ApiToken.objects.count() == 0


def test_command_refuses_an_inactive_user(people):
    user = people["member"].user
    user.is_active = False
    user.save()
    with pytest.raises(CommandError, match="is inactive; no token was issued"):
        call_command("issue-token", "ngo.member@example.org")
    assert ApiToken.objects.count() == 0


def test_command_line_exits_non_zero_with_the_message_on_stderr(people, capsys):
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["mineaction", "issue-token", "nobody@example.org"])
    assert exit_info.value.code == 1
    assert "No user has the email address nobody@example.org." in capsys.readouterr().err
