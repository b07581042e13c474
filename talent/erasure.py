"""What erasure (`trust.erasure`) does to Talent's skills data: nothing to erase. The
organisation heatmap's counts hold no person; the next count leaves the erased out."""

from __future__ import annotations

from talent.models import SkillCell
from trust.erasure import keep

keep(SkillCell, ("competency_key",), "keys of the organisation's competency framework")
