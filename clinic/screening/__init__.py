"""Red-flag screening: the question catalogue, the rule table and the engine.

Plain Python with no Flask or SQLAlchemy import, so the rules can be read beside the
guidelines (../shared/reference/clinical.md) and tested exhaustively. The web intake, the
command line and any API all call ``screen()``.
"""

from clinic.screening.engine import screen
from clinic.screening.model import Condition, Tier
from clinic.screening.policy import ScreeningPolicy

__all__ = ["Condition", "ScreeningPolicy", "Tier", "screen"]
