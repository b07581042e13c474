"""People and organisation: persons, teams, reporting lines, import and the demo organisation."""
