"""What erasure (`trust.erasure`) does to the first run's row: nothing. It holds a hash of a
one-time code and the keys of the checklist's steps ticked, nobody's personal data (who
claimed the installation is a link to their person, anonymised with it)."""

from firstrun.models import FirstRun
from trust.erasure import keep

keep(FirstRun, ("code_hash", "confirmed"), "a one-time code's hash and the checklist's steps")
