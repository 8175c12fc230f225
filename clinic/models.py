"""Every model, imported so ``Base.metadata`` is complete (for Alembic and the tests)."""

from clinic.audit.models import AuditEvent
from clinic.auth.models import LoginThrottle, User
from clinic.db import Base
from clinic.patients.models import Patient

metadata = Base.metadata

__all__ = ["AuditEvent", "Base", "LoginThrottle", "Patient", "User", "metadata"]
