"""Import every feature's models so that Base.metadata is complete (Alembic, tests)."""

from portal.accounts.models import ApiToken, Country, LoginThrottle, User  # noqa: F401
from portal.audit.models import AuditEvent  # noqa: F401
from portal.cases.models import Claim, Note, ReferenceCounter  # noqa: F401
from portal.db import Base  # noqa: F401
from portal.flags.models import RiskAssessment, RiskReview  # noqa: F401
from portal.idempotency.models import IdempotencyKey  # noqa: F401
from portal.notify.models import OutboxMessage, Subscription  # noqa: F401
from portal.photos.models import Photo  # noqa: F401
from portal.review.models import MatchCandidate, MatchKey, MatchToken  # noqa: F401
from portal.sightings.models import Sighting  # noqa: F401
from portal.training.models import Enrolment, TrainingSession  # noqa: F401
