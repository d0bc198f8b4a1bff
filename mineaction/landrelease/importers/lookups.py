"""Stored records a row may name: admin areas by code, organisations by name or acronym, hazard
areas by external id. Each `find` returns the record's id or raises `CellError`."""

from django.utils.translation import gettext as _

from mineaction.landrelease.importers.values import CellError, quoted, text
from mineaction.landrelease.models import AdminArea
from mineaction.stakeholders.models import Organisation


class AdminAreaCodes:
    def __init__(self, rows):
        self.by_code = {code: pk for pk, code in rows}
        self.by_lower_code = {code.lower(): pk for code, pk in self.by_code.items()}

    def find(self, value):
        code = text(value)
        pk = self.by_code.get(code, self.by_lower_code.get(code.lower()))
        if pk is None:
            raise CellError(_("No admin area has the code %(value)s.") % {"value": quoted(code)})
        return pk


def admin_areas_by_code():
    return AdminAreaCodes(AdminArea.objects.values_list("id", "code"))


class Organisations:
    """Names are unique; an acronym shared by two organisations is refused as ambiguous."""

    def __init__(self, rows):
        self.by_name = {}
        self.by_acronym = {}
        for pk, name, acronym in rows:
            self.by_name[name.strip().lower()] = pk
            if acronym.strip():
                self.by_acronym.setdefault(acronym.strip().lower(), set()).add(pk)

    def find(self, value):
        key = text(value).lower()
        if key in self.by_name:
            return self.by_name[key]
        matches = self.by_acronym.get(key, set())
        if len(matches) == 1:
            return next(iter(matches))
        if matches:
            raise CellError(
                _("%(value)s is the acronym of several organisations: use the full name.")
                % {"value": quoted(value)}
            )
        raise CellError(
            _("No organisation has the name or acronym %(value)s.") % {"value": quoted(value)}
        )


def organisations():
    return Organisations(Organisation.objects.values_list("id", "name", "acronym"))
