"""The Article 5 summary API in the every-URL walk: every reader may read it."""

from mineaction.dashboard.tests.outcomes import API_LIST

EXPECTED = {("api:article5_summary", "GET"): API_LIST}
URL_RECORDS = {"api:article5_summary": None}
