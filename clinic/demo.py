"""Demo accounts and patients, so every feature has something to show after `make run`.

Idempotent: running it again adds only what is missing. Phone numbers are from the
ranges reserved for drama (Ofcom), email addresses use example.com.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.auth.identity import Actor
from clinic.auth.models import User
from clinic.auth.roles import Role
from clinic.auth.services import create_user
from clinic.patients.models import Patient
from clinic.patients.services import PatientDetails, register_patient

# Development only: `clinic demo` refuses to run in production.
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 (a published development default)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: Role


DEMO_ACCOUNTS = (
    DemoAccount("frontdesk", "Priya Shah", Role.FRONT_DESK),
    DemoAccount("therapist", "Tom Okafor", Role.THERAPIST),
    DemoAccount("admin", "Alex Morgan", Role.ADMIN),
)

DEMO_PATIENTS = (
    PatientDetails(
        "Margaret",
        "Ellison",
        date(1948, 5, 12),
        "Female",
        "01632 960101",
        "margaret.ellison@example.com",
        "14 Mill Lane\nRiverside\nRS1 4AB",
        "English",
        "David Ellison",
        "Son",
        "07700 900101",
    ),
    PatientDetails(
        "James",
        "Whitfield",
        date(1989, 9, 3),
        "Male",
        "07700 900102",
        "j.whitfield@example.com",
        "Flat 2, 8 Station Road\nRiverside\nRS2 7CD",
        "English",
    ),
    PatientDetails(
        "Aisha",
        "Rahman",
        date(1994, 1, 27),
        "Female",
        "07700 900103",
        "aisha.rahman@example.com",
        "55 Orchard Way\nRiverside\nRS3 1EF",
        "Bengali",
        "Farid Rahman",
        "Husband",
        "07700 900203",
    ),
    PatientDetails(
        "Robert",
        "Nowak",
        date(1961, 11, 30),
        "Man",
        "01632 960104",
        "",
        "3 Church Street\nRiverside\nRS1 2GH",
        "Polish",
        "Anna Nowak",
        "Wife",
        "07700 900204",
    ),
    PatientDetails(
        "Chloe",
        "Bennett",
        date(2001, 6, 18),
        "Woman",
        "07700 900105",
        "chloe.bennett@example.com",
        "21 Meadow Close\nRiverside\nRS4 8JK",
        "English",
    ),
    PatientDetails(
        "Samuel",
        "Adeyemi",
        date(1976, 3, 9),
        "Male",
        "07700 900106",
        "sam.adeyemi@example.com",
        "9 Kingfisher Court\nRiverside\nRS2 3LM",
        "English",
        "Grace Adeyemi",
        "Partner",
        "07700 900206",
    ),
    PatientDetails(
        "Elena",
        "Marković",
        date(1983, 8, 22),
        "Female",
        "07700 900107",
        "elena.markovic@example.com",
        "40 High Street\nRiverside\nRS1 9NP",
        "Serbian",
    ),
    PatientDetails(
        "Dorothy",
        "Pike",
        date(1939, 2, 14),
        "Female",
        "01632 960108",
        "",
        "Rosewood Care Home\nRiverside\nRS5 6QR",
        "English",
        "Helen Pike",
        "Daughter",
        "07700 900208",
    ),
    PatientDetails(
        "Liam",
        "O'Connor",
        date(1998, 12, 1),
        "Male",
        "07700 900109",
        "liam.oconnor@example.com",
        "7 Harbour View\nRiverside\nRS3 4ST",
        "English",
    ),
    PatientDetails(
        "Mei",
        "Chen",
        date(1970, 4, 5),
        "Female",
        "07700 900110",
        "mei.chen@example.com",
        "18 Willow Crescent\nRiverside\nRS4 2UV",
        "Mandarin",
        "Wei Chen",
        "Brother",
        "07700 900210",
    ),
    PatientDetails(
        "Kwame",
        "Asante",
        date(1955, 7, 19),
        "Male",
        "01632 960111",
        "",
        "2 The Green\nRiverside\nRS2 5WX",
        "English",
        "Ama Asante",
        "Wife",
        "07700 900211",
    ),
    PatientDetails(
        "Sophie",
        "Laurent",
        date(1987, 10, 11),
        "Non-binary",
        "07700 900112",
        "sophie.laurent@example.com",
        "66 Canal Street\nRiverside\nRS1 7YZ",
        "French",
    ),
)


def load_demo_data(session: Session) -> str:
    """Create what is missing of the demo accounts and patients; returns a summary line."""
    existing_users = set(session.scalars(select(User.username)))
    actor = Actor(user_id=None, username="(demo loader)", role=None)
    new_accounts = 0
    for account in DEMO_ACCOUNTS:
        if account.username not in existing_users:
            create_user(
                session, actor, account.username, account.display_name, account.role, DEMO_PASSWORD
            )
            new_accounts += 1

    front_desk_id = session.scalar(select(User.id).where(User.username == "frontdesk"))
    registrar = Actor(user_id=front_desk_id, username="frontdesk", role=Role.FRONT_DESK)
    known = {
        (given, family, born)
        for given, family, born in session.execute(
            select(Patient.given_name, Patient.family_name, Patient.date_of_birth)
        )
    }
    new_patients = 0
    for details in DEMO_PATIENTS:
        if (details.given_name, details.family_name, details.date_of_birth) not in known:
            register_patient(session, registrar, details, confirmed_not_duplicate=True)
            new_patients += 1
    session.flush()
    return (
        f"Demo data: {new_accounts} account(s) and {new_patients} patient(s) added "
        f"({len(DEMO_ACCOUNTS)} accounts and {len(DEMO_PATIENTS)} patients in the demo set)."
    )
