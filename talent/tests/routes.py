"""Authorization-matrix entries for Talent: merged into
`cadence/tests/test_authorization_matrix.py`. Each part of Talent adds its own module of
routes next to this one (`routes_<part>.py`) and its line there; the skills part's are here,
in the talent app's own module."""

from cadence.tests.matrix import DENIED, LOGIN, OK, PAGE, Route

# The team heatmap: whoever manages someone (Bob manages Alice, Carol manages Bob).
MANAGERS = {"anonymous": LOGIN, "signed_in": DENIED, "manager": OK, "leader": OK}
# The organisation heatmap: team leads (Bob leads Platform, Carol Engineering) and HR.
LEADS_AND_HR = {**MANAGERS, "hr": OK}

ROUTES = {
    # Talent's main page: everyone signed in (each part shows itself to whom it concerns).
    "talent:index": Route(PAGE),
    "talent:skills_team": Route(MANAGERS),
    "talent:skills_organisation": Route(LEADS_AND_HR),
    "api:skills_team": Route(MANAGERS),
    "api:skills_organisation": Route(LEADS_AND_HR),
}
