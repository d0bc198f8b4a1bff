from django.core import mail


def test_mail_reaches_the_smtp_server_on_loopback(smtp_server):
    mail.send_mail("Subject line", "Body text", "platform@example.org", ["someone@example.org"])
    assert len(smtp_server) == 1
    assert smtp_server[0]["Subject"] == "Subject line"
    assert smtp_server[0]["X-Envelope-To"] == "someone@example.org"
