"""The six UN languages: every catalogue exists, is fully translated, and is compiled.

English is the source language; the other five have a catalogue under mineaction/locale. A
catalogue fails when it is missing, when a message has an empty translation or a fuzzy flag
(Django ignores fuzzy translations, so users would see English), when a translation uses a
placeholder the original does not have (a crash when the string is formatted), or when the
committed .mo file no longer matches its .po file (the running app reads the .mo file).

The .po files are parsed here with a small reader of the gettext PO format, so that the check
needs neither GNU gettext nor an extra package.
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import django
import pytest

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
LANGUAGES = ["fr", "es", "ar", "ru", "zh_Hans"]
# Django's own catalogues, whose plural forms ours must share: makemessages copies them into a
# new catalogue, and translations with other plural rules would be kept apart from Django's.
DJANGO_LOCALE_DIR = Path(django.__file__).resolve().parent / "conf" / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


@dataclass
class Message:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstrs: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def label(self):
        context = f" (context {self.msgctxt!r})" if self.msgctxt is not None else ""
        return f"line {self.line}: {self.msgid!r}{context}"

    @property
    def catalogue_key(self):
        """The key under which Python's gettext stores this message once compiled."""
        if self.msgctxt is None:
            return self.msgid
        return f"{self.msgctxt}\x04{self.msgid}"


def parse_po(text):
    """Read the messages of a PO file; obsolete (#~) entries are left out.

    Returns a list of Message, the header (msgid "") first when present.
    """
    messages = []
    current = None
    pending_flags = set()
    keyword = None
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if current is None:
                raise ValueError(f"line {number}: a string continues no keyword")
            _append(current, _field_for(keyword, number), _unquote(line, number))
        else:
            previous, (keyword, _, rest) = keyword, line.partition(" ")
            if keyword == "msgctxt" or (keyword == "msgid" and previous != "msgctxt"):
                if current is not None:
                    messages.append(current)
                current = Message(msgid="", flags=pending_flags, line=number)
                pending_flags = set()
            if current is None:
                raise ValueError(f"line {number}: {keyword} before any msgid")
            _set(current, _field_for(keyword, number), _unquote(rest.strip(), number))
    if current is not None:
        messages.append(current)
    return messages


def _field_for(keyword, number):
    if keyword in {"msgctxt", "msgid", "msgid_plural"}:
        return keyword
    if keyword == "msgstr":
        return 0
    match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
    if match:
        return int(match.group(1))
    raise ValueError(f"line {number}: unknown keyword {keyword!r}")


def _set(message, field_name, value):
    if isinstance(field_name, int):
        message.msgstrs[field_name] = value
    else:
        setattr(message, field_name, value)


def _append(message, field_name, value):
    if isinstance(field_name, int):
        message.msgstrs[field_name] += value
    else:
        setattr(message, field_name, getattr(message, field_name) + value)


def _unquote(token, number):
    if len(token) < 2 or not (token.startswith('"') and token.endswith('"')):
        raise ValueError(f"line {number}: expected a quoted string, found {token!r}")
    try:
        # A PO string uses C escapes (\n, \t, \", \\), which a Python literal reads alike.
        return ast.literal_eval(token)
    except (SyntaxError, ValueError):
        raise ValueError(f"line {number}: bad string {token!r}") from None


def header_fields(messages):
    header = next((message for message in messages if message.msgid == ""), None)
    if header is None:
        return {}
    lines = header.msgstrs.get(0, "").splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def plural_count(messages):
    match = re.search(r"nplurals\s*=\s*(\d+)", header_fields(messages).get("Plural-Forms", ""))
    return int(match.group(1)) if match else None


def po_path(language):
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def catalogue(language):
    path = po_path(language)
    assert path.is_file(), (
        f"The {language} catalogue {path} is missing: run `make messages` and translate it."
    )
    return parse_po(path.read_text(encoding="utf-8"))


def translatable(messages):
    return [message for message in messages if message.msgid != ""]


# The reader itself.

SAMPLE_PO = r"""# A comment
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

#: mineaction/core/views.py
#, python-format
msgid "Saved %(name)s."
msgstr "%(name)s enregistré."

msgctxt "month"
msgid "May"
msgstr "mai"

#, fuzzy
msgid ""
"A long "
"message with \"quotes\"\n"
msgstr ""

msgid "one organisation"
msgid_plural "%(count)s organisations"
msgstr[0] "une organisation"
msgstr[1] "%(count)s organisations"

#~ msgid "Gone"
#~ msgstr "Parti"
"""


def test_po_reader_reads_header_flags_context_continuations_and_plurals():
    messages = parse_po(SAMPLE_PO)

    assert [message.msgid for message in messages] == [
        "",
        "Saved %(name)s.",
        "May",
        'A long message with "quotes"\n',
        "one organisation",
    ]
    assert plural_count(messages) == 2
    assert messages[1].flags == {"python-format"}
    assert messages[1].msgstrs == {0: "%(name)s enregistré."}
    assert messages[2].catalogue_key == "month\x04May"
    assert messages[3].flags == {"fuzzy"}
    assert messages[3].msgstrs == {0: ""}
    assert messages[4].msgid_plural == "%(count)s organisations"
    assert messages[4].msgstrs == {0: "une organisation", 1: "%(count)s organisations"}


def test_po_reader_rejects_a_string_that_is_not_quoted():
    with pytest.raises(ValueError, match="line 2: expected a quoted string"):
        parse_po('msgid "Hello"\nmsgstr Bonjour\n')


# The catalogues.


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_exists_and_has_messages(language):
    messages = catalogue(language)

    assert translatable(messages), f"The {language} catalogue has no messages."
    assert "charset=UTF-8" in header_fields(messages).get("Content-Type", "")


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_as_many_plural_forms_as_djangos_own(language):
    djangos = DJANGO_LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    expected = plural_count(parse_po(djangos.read_text(encoding="utf-8")))

    assert plural_count(catalogue(language)) == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_message(language):
    messages = catalogue(language)
    forms = plural_count(messages) or 1

    untranslated = [
        message.label
        for message in translatable(messages)
        if not all(message.msgstrs.values())
        or (message.msgid_plural is not None and len(message.msgstrs) != forms)
    ]

    assert untranslated == [], f"Untranslated in {language}: " + "; ".join(untranslated)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_fuzzy_message(language):
    fuzzy = [message.label for message in catalogue(language) if "fuzzy" in message.flags]

    assert fuzzy == [], f"Fuzzy in {language} (Django ignores them): " + "; ".join(fuzzy)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_use_only_the_placeholders_of_the_original(language):
    wrong = []
    for message in translatable(catalogue(language)):
        allowed = set(PLACEHOLDER.findall(message.msgid + (message.msgid_plural or "")))
        for translation in message.msgstrs.values():
            unknown = set(PLACEHOLDER.findall(translation)) - allowed
            if unknown:
                wrong.append(f"{message.label} uses {sorted(unknown)}")

    assert wrong == [], f"Unknown placeholders in {language}: " + "; ".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_po_file(language):
    messages = catalogue(language)
    mo_path = po_path(language).with_suffix(".mo")
    assert mo_path.is_file(), f"{mo_path} is missing: run `make messages`."
    with mo_path.open("rb") as mo_file:
        compiled = dict(gettext.GNUTranslations(mo_file)._catalog)

    expected = {}
    for message in translatable(messages):
        # msgfmt leaves out fuzzy and untranslated messages (the tests above report those).
        if "fuzzy" in message.flags or not all(message.msgstrs.values()):
            continue
        if message.msgid_plural is None:
            expected[message.catalogue_key] = message.msgstrs[0]
        else:
            for index, translation in message.msgstrs.items():
                expected[(message.catalogue_key, index)] = translation
    compiled.pop("", None)

    stale = sorted(str(key) for key in expected.keys() ^ compiled.keys())
    common = expected.keys() & compiled.keys()
    changed = sorted(str(key) for key in common if expected[key] != compiled[key])
    assert (stale, changed) == ([], []), (
        f"{mo_path} is out of date with its .po file: run `make messages`. "
        f"Messages only in one of them: {stale}; translated differently: {changed}"
    )
