"""Full-text search that works the same on SQLite and PostgreSQL, in every UI language.

Each searchable model keeps a `search_text` column: its searchable fields folded to one form
(`fold`): case folded, accents and Arabic diacritics removed, Arabic letter variants and
Cyrillic "ё" unified. A query is folded the same way and split into terms; a record matches
when its text contains every term. Containment rather than words matches Chinese, which has no
spaces between words, and word beginnings in every language ("clear" finds "clearance").
"""

import re
import unicodedata

from django.db import models

# Arabic letters written in several forms that readers treat as one.
ARABIC_VARIANTS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي", "ـ": None}
)
QUERY_TERM = re.compile(r'"([^"]+)"|(\S+)')
MAX_TERMS = 10


def fold(text):
    """The searchable form of a text."""
    text = unicodedata.normalize("NFKD", str(text or "").casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFC", text).translate(ARABIC_VARIANTS)
    return " ".join(text.split())


def query_terms(query):
    """The folded terms of a query; "quoted words" stay together as one term."""
    terms = []
    for match in QUERY_TERM.finditer(query or ""):
        term = fold(match.group(1) or match.group(2))
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def matching(queryset, terms):
    """The records of `queryset` whose text contains every term."""
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    return queryset


class Searchable(models.Model):
    """A model whose `SEARCH_FIELDS` are kept folded in `search_text` on every save."""

    SEARCH_FIELDS = ()

    search_text = models.TextField(default="", editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = self.folded_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)

    def folded_search_text(self):
        return fold(" ".join(str(getattr(self, name) or "") for name in self.SEARCH_FIELDS))
