"""The audit trail: who changed which domain record, when, and what changed.

`BaseModel.save()` and `.delete()` call `record_change`; the acting user comes from
`current_actor`, set per request by `AuditActorMiddleware`, by the API's token check and by
management commands through `acting_as`.
"""

import contextlib
import contextvars
import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db.models.fields.files import FieldFile

_actor = contextvars.ContextVar("audit_actor", default=None)
IGNORED_FIELDS = {"id", "updated_at", "created_at", "public_id"}


def current_actor():
    user = _actor.get()
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


@contextlib.contextmanager
def acting_as(user):
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def _json_value(value):
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def field_values(instance):
    """The record's loaded field values. Deferred fields are left out: reading one would load
    the record again (and, from `from_db`, recurse); Django's delete collector loads related
    records with only some fields."""
    deferred = instance.get_deferred_fields()
    return {
        field.attname: _json_value(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.attname not in IGNORED_FIELDS and field.attname not in deferred
    }


def record_change(instance, action, before=None):
    from mineaction.core.models import AuditEntry

    after = field_values(instance) if action != AuditEntry.Action.DELETE else {}
    before = before or {}
    changes = {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }
    if action == AuditEntry.Action.UPDATE and not changes:
        return None
    return AuditEntry.objects.create(
        actor=current_actor(),
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_public_id=getattr(instance, "public_id", None),
        object_repr=str(instance)[:200],
        changes=changes,
    )
