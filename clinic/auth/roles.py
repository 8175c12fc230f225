"""The staff roles. Plain Python: shared by models, the access policy and the tests."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    FRONT_DESK = "front_desk"
    THERAPIST = "therapist"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {
            Role.FRONT_DESK: "Front desk",
            Role.THERAPIST: "Therapist",
            Role.ADMIN: "Administrator",
        }[self]


ALL_ROLES = frozenset(Role)
