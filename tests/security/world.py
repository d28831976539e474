"""The world every security test starts from: two organisations of each kind, one user per
role, a pending registration, a small taxonomy and objects owned by "A" organisations.

    world = build_world()
    world.email["factory_a"]        # log in as that role
    world.ids["template_id"]        # fills "{template_id}" in a matrix path

A feature that lands adds a builder (a function `(world) -> None` that creates its objects,
owned by the A organisations, and records their ids in `world.ids`) to `WORLD_BUILDERS`, so
that its matrix rows can name them — e.g. `world.ids["need_a"]`, a need of factory A that
factory B must not edit.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from matchmaker.accounts.models import Organisation, User
from matchmaker.extensions import db
from matchmaker.files.services import save_upload
from matchmaker.needs.interactions import NeedInvitation
from matchmaker.needs.services import ATTACHMENT_OWNER as NEED_FILES
from matchmaker.notifications.services import notify
from matchmaker.scenarios.loader import load_taxonomy
from matchmaker.scenarios.models import Industry, ScenarioCategory, ScenarioTemplate
from matchmaker.solvers.offerings import OWNER_TYPE as OFFERING_FILES
from tests.factories import make_need, make_offering, make_org, make_user
from tests.scenarios.mini import MINI

ANONYMOUS = "anonymous"
ROLES = ("anonymous", "factory_a", "factory_b", "vendor_a", "vendor_b", "expert", "organiser")
# An id no row of any table has: "{missing_id}" in a path.
MISSING_ID = 987654


@dataclass
class World:
    email: dict[str, str] = field(default_factory=dict)
    user_id: dict[str, int] = field(default_factory=dict)
    ids: dict[str, int | str] = field(default_factory=lambda: {"missing_id": MISSING_ID})

    def path(self, template: str) -> str:
        return template.format(**self.ids)

    def data(self, values: dict[str, str]) -> dict[str, str]:
        return {key: str(value).format(**self.ids) for key, value in values.items()}


def build_people(world: World) -> None:
    for role in ROLES[1:]:
        if role == "expert":
            user = make_user(role="expert")
        elif role == "organiser":
            user = make_user(role="organiser")
        else:
            kind = "factory" if role.startswith("factory") else "vendor"
            org = make_org(kind, name=f"{role} 机构")
            world.ids[f"org_{role}"] = org.id
            user = make_user(org)
        world.email[role] = user.email
        world.user_id[role] = user.id
    pending = make_org("factory", approved=False, name="待审核工厂")
    make_user(pending)
    world.ids["pending_org"] = pending.id


def build_taxonomy(world: World) -> None:
    load_taxonomy(MINI)
    template = db.session.scalar(select(ScenarioTemplate).where(ScenarioTemplate.code == "T001"))
    other = db.session.scalar(select(ScenarioTemplate).where(ScenarioTemplate.code == "T002"))
    industry = db.session.scalar(select(Industry).where(Industry.code == "textile"))
    category = db.session.scalar(select(ScenarioCategory).where(ScenarioCategory.code == "vision"))
    world.ids.update(
        template_id=template.id,
        template_code=template.code,
        other_template_id=other.id,
        industry_id=industry.id,
        industry_code=industry.code,
        category_id=category.id,
        category_code=category.code,
    )


def build_notifications(world: World) -> None:
    owner = db.session.get_one(User, world.user_id["factory_a"])
    (note,) = notify([owner], "security_test", "给工厂A的消息")
    db.session.commit()
    world.ids["notification_a"] = note.id


PDF = b"%PDF-1.7\n%security matrix\n"


def attach(owner_type: str, owner_id: int, uploader_id: int) -> int:
    storage = FileStorage(io.BytesIO(PDF), filename="plan.pdf", content_type="application/pdf")
    attachment = save_upload(storage, owner_type, owner_id, uploader_id)
    db.session.commit()
    return attachment.id


def build_needs(world: World) -> None:
    """Needs of factory A in every status that matters for access; one file on the public one;
    vendor A is invited to the invited_only need (vendor B is not)."""
    owner = db.session.get_one(Organisation, world.ids["org_factory_a"])
    author = db.session.get_one(User, world.user_id["factory_a"])
    template = db.session.get_one(ScenarioTemplate, world.ids["template_id"])
    needs = {
        "need_draft": make_need(owner, "draft", author, template),
        "need_submitted": make_need(owner, "submitted", author, template),
        "need_public": make_need(owner, "published", author, template),
        "need_summary": make_need(
            owner, "published", author, template, confidentiality="summary_only"
        ),
        "need_invited": make_need(
            owner, "published", author, template, confidentiality="invited_only"
        ),
    }
    world.ids.update({key: need.id for key, need in needs.items()})
    invited = NeedInvitation(
        need_id=needs["need_invited"].id,
        organisation_id=world.ids["org_vendor_a"],
        invited_by_id=author.id,
    )
    db.session.add(invited)
    db.session.commit()
    world.ids["attachment_need"] = attach(NEED_FILES, needs["need_public"].id, author.id)
    world.ids["vendor_b_name"] = db.session.get_one(Organisation, world.ids["org_vendor_b"]).name


def build_offerings(world: World) -> None:
    """Offerings of vendor A: a draft (with a file), a submitted and a published one (with a
    file)."""
    vendor = db.session.get_one(Organisation, world.ids["org_vendor_a"])
    uploader = world.user_id["vendor_a"]
    offerings = {
        f"offering_{status}": make_offering(vendor, status)
        for status in ("draft", "submitted", "published")
    }
    world.ids.update({key: item.id for key, item in offerings.items()})
    world.ids["attachment_offering_draft"] = attach(
        OFFERING_FILES, offerings["offering_draft"].id, uploader
    )
    world.ids["attachment_offering"] = attach(
        OFFERING_FILES, offerings["offering_published"].id, uploader
    )


WORLD_BUILDERS: list[Callable[[World], None]] = [
    build_people,
    build_taxonomy,
    build_notifications,
    build_needs,
    build_offerings,
]


def build_world() -> World:
    world = World()
    for builder in WORLD_BUILDERS:
        builder(world)
    return world
