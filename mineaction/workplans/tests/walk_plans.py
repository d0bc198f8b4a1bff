"""The work plans pages and API in the every-URL walk (see `walk.py`).

Every write is walked with an empty body: forms are shown again with their errors, deletes ask
for confirmation, and the API answers 422. The walked activity belongs to the member persona's
organisation, which may report its progress but not edit it; it has a milestone, so deleting it
through the API is refused (409).
"""

from mineaction.dashboard.tests.outcomes import (
    API_CREATE,
    API_LIST,
    API_RECORD,
    API_RECORD_PATCH,
    API_RECORD_WRITE,
    MANAGER_FORM,
    MANAGER_RECORD_FORM,
    MANAGERS,
    MEMBER_PAGE,
    MEMBER_RECORD,
    outcome,
)

PROGRESS_FORM = MANAGER_RECORD_FORM | {"member": 200}

EXPECTED = {
    ("workplans:plan_list", "GET"): MEMBER_PAGE,
    ("workplans:plan_create", "GET"): MANAGER_FORM,
    ("workplans:plan_create", "POST"): MANAGER_FORM,
    ("workplans:plan_detail", "GET"): MEMBER_RECORD,
    ("workplans:plan_edit", "GET"): MANAGER_RECORD_FORM,
    ("workplans:plan_edit", "POST"): MANAGER_RECORD_FORM,
    ("workplans:plan_timeline", "GET"): MEMBER_RECORD,
    ("workplans:plan_export", "GET"): MEMBER_PAGE,
    ("workplans:budget", "GET"): MEMBER_PAGE,
    ("workplans:activity_create", "GET"): MANAGER_RECORD_FORM,
    ("workplans:activity_create", "POST"): MANAGER_RECORD_FORM,
    ("workplans:activity_detail", "GET"): MEMBER_RECORD,
    ("workplans:activity_edit", "GET"): MANAGER_RECORD_FORM,
    ("workplans:activity_edit", "POST"): MANAGER_RECORD_FORM,
    ("workplans:activity_progress", "GET"): PROGRESS_FORM,
    ("workplans:activity_progress", "POST"): PROGRESS_FORM,
    ("workplans:activity_delete", "GET"): MANAGER_RECORD_FORM,
    ("workplans:activity_delete", "POST"): MANAGER_RECORD_FORM,  # no `confirm`: asks
    ("workplans:milestone_create", "GET"): MANAGER_RECORD_FORM,
    ("workplans:milestone_create", "POST"): MANAGER_RECORD_FORM,
    ("workplans:milestone_edit", "GET"): MANAGER_RECORD_FORM,
    ("workplans:milestone_edit", "POST"): MANAGER_RECORD_FORM,
    ("workplans:milestone_delete", "GET"): MANAGER_RECORD_FORM,
    ("workplans:milestone_delete", "POST"): MANAGER_RECORD_FORM,  # no `confirm`: asks
    ("api:work_plan_list", "GET"): API_LIST,
    ("api:work_plan_create", "POST"): API_CREATE,
    ("api:work_plan_budget", "GET"): API_LIST,
    ("api:work_plan_detail", "GET"): API_RECORD,
    ("api:work_plan_patch", "PATCH"): API_RECORD_PATCH,
    ("api:work_plan_timeline", "GET"): API_RECORD,
    ("api:work_plan_activity_create", "POST"): API_RECORD_WRITE,
    ("api:activity_detail", "GET"): API_RECORD,
    ("api:activity_patch", "PATCH"): API_RECORD_PATCH,
    ("api:activity_delete", "DELETE"): outcome(401, 404, 409, for_roles=MANAGERS),
    ("api:activity_progress", "POST"): API_RECORD_WRITE | {"member": 422},
}

URL_RECORDS = {
    "workplans:plan_list": None,
    "workplans:plan_create": None,
    "workplans:plan_detail": "plan",
    "workplans:plan_edit": "plan",
    "workplans:plan_timeline": "plan",
    "workplans:plan_export": None,
    "workplans:budget": None,
    "workplans:activity_create": "plan",
    "workplans:activity_detail": "activity",
    "workplans:activity_edit": "activity",
    "workplans:activity_progress": "activity",
    "workplans:activity_delete": "activity",
    "workplans:milestone_create": "plan",
    "workplans:milestone_edit": "milestone",
    "workplans:milestone_delete": "milestone",
    "api:work_plan_list": None,
    "api:work_plan_create": None,
    "api:work_plan_budget": None,
    "api:work_plan_detail": "plan",
    "api:work_plan_patch": "plan",
    "api:work_plan_timeline": "plan",
    "api:work_plan_activity_create": "plan",
    "api:activity_detail": "activity",
    "api:activity_patch": "activity",
    "api:activity_delete": "activity",
    "api:activity_progress": "activity",
}
