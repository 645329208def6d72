"""Review of a design: comments pinned on the map or on elements, and sign-offs.

Qt-free.  Importing this package registers the review tables
(``smartgis_review_comments``, ``smartgis_review_signoffs``) with the project file, so
import it before opening a project whose comments you want in
``project.extra_tables``; :class:`Review` also reads them straight from the file when
the project was opened earlier.
"""

from smartgis.review.digest import design_digest
from smartgis.review.records import (
    COMMENTS_TABLE,
    DECISION_LABELS,
    DECISIONS,
    SIGNOFFS_TABLE,
    STATUSES,
    Comment,
    SignOff,
)
from smartgis.review.session import Review, review_of

__all__ = ["COMMENTS_TABLE", "DECISIONS", "DECISION_LABELS", "SIGNOFFS_TABLE", "STATUSES", "Comment", "Review",
           "SignOff", "design_digest", "review_of"]
