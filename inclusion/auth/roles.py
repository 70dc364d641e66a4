"""The four roles and what each may reach."""

from enum import StrEnum


class Role(StrEnum):
    CHAMPION = "champion"
    COORDINATOR = "coordinator"
    FUNDER = "funder"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return self.value.capitalize()


ALL_ROLES = tuple(role.value for role in Role)
# Roles that may see a resident's name, date of birth, postcode or contact details.
PERSONAL_DATA_ROLES = (Role.CHAMPION, Role.COORDINATOR, Role.ADMIN)
# Roles that see every partner's learners and sessions.
ALLIANCE_WIDE_ROLES = (Role.COORDINATOR, Role.ADMIN)
