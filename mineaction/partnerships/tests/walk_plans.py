"""The action plan catalogue in the every-URL walk (see `walk.py`).

Every reader reads the plans and actions; the secretariat, the lead authority and
administrators edit an action and assess it. Writes are walked with an empty body: the forms
are shown again with their errors, the API answers 422.
"""

from mineaction.dashboard.tests.outcomes import (
    API_LIST,
    API_RECORD,
    API_RECORD_WRITE,
    MANAGER_RECORD_FORM,
    MEMBER_PAGE,
    MEMBER_RECORD,
)

EXPECTED = {
    ("partnerships:action_plan_list", "GET"): MEMBER_PAGE,
    ("partnerships:action_plan_detail", "GET"): MEMBER_RECORD,
    ("partnerships:plan_action_detail", "GET"): MEMBER_RECORD,
    ("partnerships:plan_action_edit", "GET"): MANAGER_RECORD_FORM,
    ("partnerships:plan_action_edit", "POST"): MANAGER_RECORD_FORM,
    ("partnerships:plan_action_assess", "GET"): MANAGER_RECORD_FORM,
    ("partnerships:plan_action_assess", "POST"): MANAGER_RECORD_FORM,
    ("api:action_plan_list", "GET"): API_LIST,
    ("api:action_plan_detail", "GET"): API_RECORD,
    ("api:plan_action_assess", "PUT"): API_RECORD_WRITE,
}

URL_RECORDS = {
    "partnerships:action_plan_list": None,
    "partnerships:action_plan_detail": "plan",
    "partnerships:plan_action_detail": "plan_action",
    "partnerships:plan_action_edit": "plan_action",
    "partnerships:plan_action_assess": "plan_action",
    "api:action_plan_list": None,
    "api:action_plan_detail": "plan",
    "api:plan_action_assess": "plan_action",
}
