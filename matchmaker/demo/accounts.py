"""Demo organisations and people: an organiser, two experts, the factories and the vendors,
registered about 13 months ago (timeline.py) with 萧山 credit codes (区划 330109) and 0571
telephone numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from .. import clock
from ..accounts import recovery
from ..accounts import services as accounts
from ..accounts.credit_code import make_credit_code
from ..accounts.models import Organisation, User
from .district import DISTRICT, EXPERTS, FACTORIES, ORGANISER, VENDORS
from .timeline import ACCOUNTS_DAYS_AGO, days_ago

EMAIL_DOMAIN = "demo.matchmaker.local"
SURNAMES = "陈王李张刘杨黄赵周吴徐孙朱马胡郭何高林罗沈郑钱俞施韩"  # the contacts: 陈经理, 王经理 …


@dataclass
class CreatedAccounts:
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # (role, organisation, e-mail)

    def add(self, role: str, org: str, email: str) -> None:
        self.rows.append((role, org, email))


def demo_credit_code(kind: str, index: int) -> str:
    """Deterministic valid codes: 91 (enterprise) + 330109 (萧山区) + a fictional serial
    (factories from 1, vendors from 501)."""
    serial = index if kind == "factory" else 500 + index
    return make_credit_code(f"91330109{serial:09d}")


def load_people(password: str, created: CreatedAccounts) -> User:
    """Create whatever is missing; returns the organiser (the actor of the other demo steps)."""
    org_name, email, name = ORGANISER
    organiser = accounts.find_user_by_email(email)
    if organiser is None:
        with clock.frozen(days_ago(ACCOUNTS_DAYS_AGO + 10)):
            organiser = accounts.create_organiser(email, name, password)
            organiser.organisation.name = org_name
        created.add("organiser", org_name, email)
    for email, name in EXPERTS:
        if accounts.find_user_by_email(email) is None:
            with clock.frozen(days_ago(ACCOUNTS_DAYS_AGO + 5)):
                accounts.create_expert(email, name, password)
            created.add("expert", "—", email)
    for kind, rows in (("factory", FACTORIES), ("vendor", VENDORS)):
        for index, row in enumerate(rows, start=1):
            _ensure_member(kind, index, row, password, organiser, created)
    return organiser


def _ensure_member(kind, index, row, password, organiser, created: CreatedAccounts) -> None:
    name, town = row[0], row[2] if kind == "factory" else row[1]
    email = f"{kind}{index:02d}@{EMAIL_DOMAIN}"
    code = demo_credit_code(kind, index)
    if accounts.find_user_by_email(email) or accounts.find_org_by_credit_code(code):
        return
    registered = days_ago(ACCOUNTS_DAYS_AGO - index // 3, hour=9 + index % 8)
    with clock.frozen(registered):
        user = _register(kind, index, name, town, code, email, password)
        # The demo member opens the link of the verification mail it was sent.
        recovery.verify_email(recovery.verification_token(user))
    with clock.frozen(registered + timedelta(days=1)):
        accounts.approve_organisation(organiser, user.organisation)
    created.add(kind, name, email)


def _register(kind, index, name, town, code, email, password):
    return accounts.register_organisation(
        accounts.RegistrationData(
            kind=kind,
            org_name=name,
            credit_code=code,
            contact_name=_contact(kind, index),
            contact_phone=f"0571-8{index:03d}{'1' if kind == 'factory' else '2'}000",
            district=DISTRICT,
            town=town,
            email=email,
            password=password,
            name=_contact(kind, index),
        )
    )


def _contact(kind: str, index: int) -> str:
    return f"{SURNAMES[((index - 1) * (1 if kind == 'factory' else 7)) % len(SURNAMES)]}经理"


def demo_organisations(kind: str) -> list[Organisation]:
    """The demo organisations of one kind, in district order (for the later demo steps)."""
    codes = [
        demo_credit_code(kind, i)
        for i in range(1, len(FACTORIES if kind == "factory" else VENDORS) + 1)
    ]
    found = {
        org.credit_code: org
        for org in (accounts.find_org_by_credit_code(code) for code in codes)
        if org is not None
    }
    return [found[code] for code in codes if code in found]
