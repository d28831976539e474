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
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from matchmaker import clock
from matchmaker.accounts.models import Organisation, User
from matchmaker.accounts.tokens import create_token
from matchmaker.competitions import (
    applications,
    delivery,
    panel,
    publicity,
    questions,
    stageflow,
)
from matchmaker.competitions.models import Listing, Rectification, Round
from matchmaker.extensions import db
from matchmaker.files.services import save_upload
from matchmaker.jobs.models import JobFailure
from matchmaker.messages import services as messages
from matchmaker.needs import engagement
from matchmaker.needs.models import NeedInvitation
from matchmaker.needs.services import ATTACHMENT_OWNER as NEED_FILES
from matchmaker.notices import services as notices
from matchmaker.notices.models import ATTACHMENT_OWNER as NOTICE_FILES
from matchmaker.notifications.models import OutboxMail
from matchmaker.notifications.outbox import send_mail_outbox
from matchmaker.notifications.services import notify
from matchmaker.scenarios.loader import load_taxonomy
from matchmaker.scenarios.models import Industry, ScenarioCategory, ScenarioTemplate
from matchmaker.solvers.models import Offering
from matchmaker.solvers.offerings import OWNER_TYPE as OFFERING_FILES
from tests.competitions.builders import SHEET, apply, make_listing, make_round
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
    bearer: dict[str, str] = field(default_factory=dict)  # role → API token secret

    def path(self, template: str) -> str:
        return template.format(**self.ids)

    def data(self, values: dict[str, str]) -> dict[str, str]:
        return {key: str(value).format(**self.ids) for key, value in values.items()}

    def json(self, value):
        """A JSON body with its placeholders filled; a string that is one placeholder becomes
        the raw id (an integer)."""
        if isinstance(value, dict):
            return {key: self.json(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, str):
            name = value[1:-1]
            if value.startswith("{") and value.endswith("}") and name in self.ids:
                return self.ids[name]
            return value.format(**self.ids)
        return value


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
    failure = JobFailure(task_name=f"{send_mail_outbox.name}", args="[]", error="OSError: 测试")
    mail = OutboxMail(message_id="<matrix@example.com>", recipient="x@example.com", subject="s")
    mail.status = "failed"
    db.session.add_all([failure, mail])
    db.session.commit()
    world.ids.update(notification_a=note.id, job_failure=failure.id, failed_mail=mail.id)


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


def build_rounds(world: World) -> None:
    """揭榜挂帅 rounds, placed around the real "now" with frozen clocks, on needs of factory A:

    round_a (window closed) with listing_review (评审: vendor A's eligible application_review,
    with attachment_application; the matrix's expert assigned, nothing scored yet),
    listing_publicity (公示 until next week, vendor A's application_publicity proposed, objection_a
    filed by factory B) and listing_award (攻关: vendor A's application_award won award_a;
    milestone_delivered has evidence attachment_milestone, milestone_pending has none);
    round_open (window open until in two months) with listing_open, where vendor A holds the
    draft application_draft. The expert is assigned to every listing of round_a.
    """
    organiser = db.session.get_one(User, world.user_id["organiser"])
    expert = db.session.get_one(User, world.user_id["expert"])
    lead = db.session.get_one(User, world.user_id["vendor_a"])
    factory = db.session.get_one(Organisation, world.ids["org_factory_a"])
    author = db.session.get_one(User, world.user_id["factory_a"])
    offering = db.session.get_one(Offering, world.ids["offering_published"])
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - timedelta(days=40)

    def need():
        return make_need(factory, "published", author)

    with clock.frozen(start):
        round_a = make_round(organiser, closes_at=start + timedelta(days=10))
        round_open = make_round(organiser, name="开放中的批次", closes_at=now + timedelta(days=60))
        listings = {
            key: make_listing(organiser, round_a, [need()], title=key)
            for key in ("listing_review", "listing_publicity", "listing_award")
        }
        listings["listing_open"] = make_listing(organiser, round_open, [need()], title="open")
    with clock.frozen(start + timedelta(days=1, hours=1)):
        stageflow.tick()
        apps = {
            key.replace("listing", "application"): apply(lead, offering, listings[key])
            for key in ("listing_review", "listing_publicity", "listing_award")
        }
        apps["application_draft"] = apply(lead, offering, listings["listing_open"], submit=False)
        for key in ("listing_review", "listing_publicity", "listing_award"):
            panel.assign_expert(organiser, listings[key], expert)
    with clock.frozen(start + timedelta(days=10, minutes=1)):
        stageflow.tick()
        for key in ("application_review", "application_publicity", "application_award"):
            applications.decide_eligibility(organiser, apps[key], True)
        for key in ("application_publicity", "application_award"):
            panel.save_sheet(expert, apps[key], SHEET, {}, submit=True)
        publicity.start_publicity(organiser, listings["listing_award"])
    awarded = start + timedelta(days=17, minutes=2)
    with clock.frozen(awarded):
        winner = apps["application_award"]
        terms = [publicity.AwardTerms(winner.id, Decimal("100"), awarded.date())]
        (award,) = publicity.award(organiser, listings["listing_award"], terms)
        stageflow.act(organiser, listings["listing_award"], "start_delivery")
    delivered, pending = winner.milestones[:2]
    with clock.frozen(awarded + timedelta(days=1)):
        delivery.deliver_milestone(lead, delivered, "标注数据集已交付")
    with clock.frozen(now - timedelta(hours=1)):
        publicity.start_publicity(organiser, listings["listing_publicity"])
        rival = db.session.get_one(User, world.user_id["factory_b"])
        objection = publicity.file_objection(rival, listings["listing_publicity"], "评分有疑问")
    world.ids.update({key: item.id for key, item in {**listings, **apps}.items()})
    world.ids.update(
        round_a=round_a.id,
        round_open=round_open.id,
        award_a=award.id,
        milestone_delivered=delivered.id,
        milestone_pending=pending.id,
        objection_a=objection.id,
        attachment_application=attach("application", apps["application_review"].id, lead.id),
        attachment_milestone=attach("milestone", delivered.id, lead.id),
    )


SUMMARY_KPI = "摘要榜单的保密指标"


def build_listing_summary(world: World) -> None:
    """listing_summary in round_open carries a summary_only need of factory A whose KPI
    (SUMMARY_KPI) only its owner, organisers and NDA signatories may read."""
    organiser = db.session.get_one(User, world.user_id["organiser"])
    owner = db.session.get_one(Organisation, world.ids["org_factory_a"])
    author = db.session.get_one(User, world.user_id["factory_a"])
    need = make_need(
        owner, "published", author, confidentiality="summary_only", title="摘要榜单需求"
    )
    need.kpis[0].indicator = SUMMARY_KPI
    db.session.commit()
    round_open = db.session.get_one(Round, world.ids["round_open"])
    listing = make_listing(organiser, round_open, [need], title="摘要需求榜单")
    world.ids.update(need_listed_summary=need.id, listing_summary=listing.id)


def build_notices_and_questions(world: World) -> None:
    """notice_public (attachment_notice, a PDF) and notice_draft; on listing_open, vendor B's
    question_open (unanswered) and question_answered (answered publicly by the organiser)."""
    organiser = db.session.get_one(User, world.user_id["organiser"])
    asker = db.session.get_one(User, world.user_id["vendor_b"])
    public = notices.save_notice(
        organiser, notices.NoticeData("申报通知", "正文", None, clock.now())
    )
    draft = notices.save_notice(organiser, notices.NoticeData("草稿通知", "正文"))
    listing = db.session.get_one(Listing, world.ids["listing_open"])
    asked = questions.ask(asker, listing, "是否提供夜班样本图像？")
    answered = questions.ask(asker, listing, "现场是否有工业网络？")
    questions.answer(organiser, answered, "有，千兆工业以太网。")
    world.ids.update(
        notice_public=public.id,
        notice_draft=draft.id,
        attachment_notice=attach(NOTICE_FILES, public.id, organiser.id),
        question_open=asked.id,
        question_answered=answered.id,
    )


def build_tokens(world: World) -> None:
    """An API token for every signed-in role (the matrix's bearer rows send it)."""
    for role, user_id in world.user_id.items():
        token, secret = create_token(db.session.get_one(User, user_id), f"matrix {role}")
        world.bearer[role] = secret
        world.ids[f"token_{role}"] = token.id


def build_matchdays(world: World) -> None:
    """day_open (registering: factory A with need_public, vendor A with offering_published),
    day_draft, and day_scheduled (today, so outcomes may be recorded) with meeting_a between
    factory A and vendor A."""
    from matchmaker.matchdays.models import MatchDay, MatchDayMeeting, MatchDayRegistration

    now, today = clock.now(), clock.local_now().date()

    def day(status: str, when, closes) -> MatchDay:
        row = MatchDay(title=f"对接会 {status}", venue="会议室", day=when, starts_at=time(9, 0),
                       slot_minutes=20, slot_count=3, tables=2, registration_closes_at=closes,
                       status=status)  # fmt: skip
        db.session.add(row)
        db.session.flush()
        for role, item in (("factory_a", "need_public"), ("vendor_a", "offering_published")):
            db.session.add(MatchDayRegistration(
                match_day_id=row.id, organisation_id=world.ids[f"org_{role}"], kind=role[:-2],
                item_ids=[world.ids[item]], slots=[0, 1, 2]))  # fmt: skip
        return row

    day_open = day("published", today + timedelta(days=10), now + timedelta(days=5))
    day_draft = day("draft", today + timedelta(days=20), now + timedelta(days=15))
    day_scheduled = day("scheduled", today, now - timedelta(days=1))
    meeting = MatchDayMeeting(
        match_day_id=day_scheduled.id, factory_id=world.ids["org_factory_a"],
        vendor_id=world.ids["org_vendor_a"], slot=0, table_no=0,
        need_id=world.ids["need_public"], offering_id=world.ids["offering_published"],
    )  # fmt: skip
    db.session.add(meeting)
    db.session.commit()
    world.ids.update(day_open=day_open.id, day_draft=day_draft.id,
                     day_scheduled=day_scheduled.id, meeting_a=meeting.id)  # fmt: skip


def build_rectification(world: World) -> None:
    """rectification_a: an open rectification period on award_a (written directly: award_a
    stays in 攻关 for the delivery rows), with vendor A's evidence attachment_rectification."""
    lead = world.user_id["vendor_a"]
    fix = Rectification(
        award_id=world.ids["award_a"],
        findings="漏检率未达标",
        days=30,
        due_on=(clock.local_now() + timedelta(days=30)).date(),
    )
    db.session.add(fix)
    db.session.commit()
    world.ids.update(
        rectification_a=fix.id,
        attachment_rectification=attach("rectification", fix.id, lead),
    )


def build_recovery(world: World) -> None:
    """A live reset link and a verification link of factory A; every user's id as a path id."""
    from matchmaker.accounts import recovery

    user = db.session.get_one(User, world.user_id["factory_a"])
    world.ids["reset_token_a"] = recovery.password_token(user)
    world.ids["verify_token_a"] = recovery.verification_token(user)
    for role, user_id in world.user_id.items():
        world.ids[f"user_{role}"] = user_id
    # An expert invited to the pool who has not set a password yet (item 5).
    from matchmaker.competitions import experts

    organiser = db.session.get_one(User, world.user_id["organiser"])
    invited = experts.invite_expert(
        organiser, "invited@example.com", experts.ProfileData("受邀专家")
    )
    world.ids["invited_expert"] = invited.user_id
    world.ids["invite_token"] = recovery.password_token(invited.user, recovery.INVITE_SALT)


def build_messages(world: World) -> None:
    """need_messages (factory A, published): vendor A sent interest; its message (with a file,
    reported by factory A as report_a) and factory A's reply form the one thread."""
    owner = db.session.get_one(Organisation, world.ids["org_factory_a"])
    factory_user = db.session.get_one(User, world.user_id["factory_a"])
    vendor_user = db.session.get_one(User, world.user_id["vendor_a"])
    need = make_need(owner, "published", factory_user)
    engagement.send_interest(vendor_user, need, "我们有类似案例")
    pdf = FileStorage(io.BytesIO(PDF), filename="plan.pdf", content_type="application/pdf")
    vendor_org = world.ids["org_vendor_a"]
    sent, _ = messages.send_message(vendor_user, need, vendor_org, "方案见附件", "w1", [pdf])
    reply, _ = messages.send_message(factory_user, need, vendor_org, "收到", "w2")
    report, _ = messages.report_message(factory_user, sent, "测试举报")
    world.ids.update(
        need_messages=need.id,
        message_vendor=sent.id,
        message_factory=reply.id,
        attachment_message=messages.attachments_of([sent])[sent.id][0].id,
        report_a=report.id,
    )


WORLD_BUILDERS: list[Callable[[World], None]] = [
    build_people,
    build_tokens,
    build_taxonomy,
    build_notifications,
    build_needs,
    build_offerings,
    build_rounds,
    build_listing_summary,
    build_matchdays,
    build_rectification,
    build_recovery,
    build_messages,
    build_notices_and_questions,
]


def build_world() -> World:
    world = World()
    for builder in WORLD_BUILDERS:
        builder(world)
    return world
