"""Authorization-matrix entries for Insights: merged into
`cadence/tests/test_authorization_matrix.py`."""

from cadence.tests.matrix import DENIED, HR_ONLY, LOGIN, OK, PAGE, REDIRECT, Route

# A manager's page: whoever manages someone (Bob manages Alice, Carol manages Bob).
MANAGERS = {"anonymous": LOGIN, "signed_in": DENIED, "manager": OK, "leader": OK}
# A leader's page: team leads (Bob leads Platform, Carol Engineering).
LEADS = {"anonymous": LOGIN, "signed_in": DENIED, "manager": OK, "leader": OK}
# The API answers with the widest page the caller has: 403 for whoever has none.
ANYONE_WITH_A_PAGE = {**LEADS, "hr": OK}
# Each page's CSV of its example chart (every page has it).
CHART = {"kind": lambda cast: "headcount"}

ROUTES = {
    "insights:index": Route(PAGE),
    "insights:team": Route(MANAGERS),
    "insights:team_csv": Route(MANAGERS, kwargs=CHART),
    "insights:organisation": Route(LEADS),
    "insights:organisation_csv": Route(LEADS, kwargs=CHART),
    "insights:hr": Route(HR_ONLY),
    "insights:hr_csv": Route(HR_ONLY, kwargs=CHART),
    "insights:compute": Route({**HR_ONLY, "hr": REDIRECT}, method="post"),
    "api:insights_charts": Route(ANYONE_WITH_A_PAGE),
    # Retention: team leads (for their part) and HR (for their scope).
    "api:insights_retention": Route({**LEADS, "hr": OK}),
}
