"""Imports every feature's models so that Alembic and `db.metadata` see the whole schema."""

# Feature packages add their models module here as they land.
from .accounts.models import Organisation, User  # noqa: F401
from .accounts.tokens import ApiToken  # noqa: F401
from .competitions.models import (  # noqa: F401
    Acceptance,
    Application,
    AuditEntry,
    Award,
    ConsortiumMember,
    DigestEntry,
    ExpertAssignment,
    ExpertRelation,
    KpiCommitment,
    Listing,
    ListingKpi,
    ListingQuestion,
    Measurement,
    MidtermReview,
    Milestone,
    Objection,
    Round,
    ScoreSheet,
)
from .dashboard.models import ImportedNeed  # noqa: F401
from .files.models import Attachment  # noqa: F401
from .jobs.models import JobFailure, JobScheduleRun  # noqa: F401
from .matchdays.models import (  # noqa: F401
    MatchDay,
    MatchDayChoice,
    MatchDayMeeting,
    MatchDayRegistration,
)
from .messages.models import MessageReport, NeedMessage, NeedThread  # noqa: F401
from .needs.models import (  # noqa: F401
    NdaAcceptance,
    Need,
    NeedFollow,
    NeedInterest,
    NeedInvitation,
    NeedKpi,
    NeedReview,
    NeedVersion,
    NeedView,
)
from .notices.models import Notice  # noqa: F401
from .notifications.models import Notification, OutboxMail  # noqa: F401
from .scenarios.models import Industry, ScenarioCategory, ScenarioTemplate, TaxonomyChange  # noqa: F401
from .search.store import models as search_models  # noqa: F401
from .solvers.models import (  # noqa: F401
    CaseStudy,
    Offering,
    OfferingKpi,
    OfferingReview,
    OfferingTag,
    VendorProfile,
)
