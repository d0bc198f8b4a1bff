"""What the meeting cycle knows of the apps above it, without importing them.

- Link targets: agenda items and action points link to records of other apps (challenges,
  commitments) through `AgendaLink`. The app that owns a target registers a function that
  describes the linked records a user may see, so meeting pages can name and link them.
- Priority sources: a new meeting's proposed agenda reviews the platform's top priorities. An
  app registers a function that returns the records to review, as (target, public id) pairs.
"""

from collections.abc import Callable
from dataclasses import dataclass

_link_targets = {}
_priority_sources = []


@dataclass(frozen=True)
class LinkedRecord:
    target: str  # an AgendaLink.Target value
    public_id: object
    label: str
    url: str


def register_link_target(target, describe: Callable):
    """`describe(user, public_ids)` returns {public_id: (label, url)} for the records of
    `target` among `public_ids` that the user may see."""
    _link_targets[target] = describe


def register_priority_source(propose: Callable):
    """`propose(meeting=...)` returns [(target, public_id)] of the records a new meeting's
    agenda should review, highest priority first."""
    if propose not in _priority_sources:
        _priority_sources.append(propose)


def priority_sources():
    return list(_priority_sources)


def linked_records(user, links):
    """The records that `links` (AgendaLink rows) point to and the user may see, in order."""
    wanted = {}
    for link in links:
        wanted.setdefault(link.target, []).append(link.target_public_id)
    described = {}
    for target, public_ids in wanted.items():
        describe = _link_targets.get(target)
        if describe is not None:
            for public_id, (label, url) in describe(user, public_ids).items():
                described[(target, public_id)] = LinkedRecord(target, public_id, label, url)
    seen, records = set(), []
    for link in links:
        key = (link.target, link.target_public_id)
        if key in described and key not in seen:
            seen.add(key)
            records.append(described[key])
    return records
