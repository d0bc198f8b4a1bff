from mineaction.core.models import AuditEntry
from mineaction.stakeholders.models import Membership, Person


def test_a_record_loaded_with_some_fields_saves_and_is_audited(people):
    membership = Membership.objects.only("id", "notes").get(person=people["member"])
    membership.notes = "Focal point for the technical working group"
    membership.save()
    entry = AuditEntry.objects.filter(object_public_id=membership.public_id).latest("id")
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes == {"notes": ["", "Focal point for the technical working group"]}


def test_deleting_a_person_with_memberships_is_audited_and_cascades(people):
    person = Person.objects.get(pk=people["observer"].pk)
    membership_ids = list(person.memberships.values_list("public_id", flat=True))
    person.delete()
    deleted = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE)
    assert set(deleted.values_list("object_public_id", flat=True)) >= {person.public_id}
    assert not Membership.objects.filter(public_id__in=membership_ids).exists()
