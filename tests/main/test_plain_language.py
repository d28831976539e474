"""Plain Chinese everywhere a person reads: on the demo district, the pages a factory, a vendor,
an expert and the organiser use show no raw status code, field name or action code.

The visible text of each page (tags, attributes, scripts and styles dropped; URLs ignored) is
searched for a fixed list of tokens that only our code uses. Form field names and option values
are attributes, so they do not count.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from sqlalchemy import select

from matchmaker.accounts.models import User
from matchmaker.competitions.models import (
    Application,
    ExpertAssignment,
    Listing,
    ListingQuestion,
)
from matchmaker.extensions import db
from matchmaker.matchdays.models import MatchDay
from matchmaker.needs import services as need_services
from matchmaker.needs.models import Need
from matchmaker.notices.models import Notice
from matchmaker.scenarios import services as taxonomy
from matchmaker.scenarios.models import Industry, ScenarioTemplate
from tests.factories import login, logout

PASSWORD = "demo-pass-2025"

# Statuses, stages, field names and action codes of our models: never words for people.
FORBIDDEN = (
    # need, offering, application and organisation statuses
    "draft", "submitted", "pending", "published", "approved", "rejected", "returned",
    "withdrawn", "closed", "eligible", "ineligible", "retired", "merged",
    # listing stages and other states
    "accepting", "under_review", "publicity", "awarded", "in_delivery", "accepted",
    "cancelled", "on_track", "at_risk", "off_track", "recused", "upheld", "dismissed",
    "summary_only", "invited_only",
    # field names
    "budget_min", "budget_max", "delivery_months", "delivery_date", "expert_id", "listing_id",
    "application_id", "organisation_id", "actor_id", "template_id", "category_id",
    "industry_id", "changed_fields", "title_zh", "name_zh", "contract_value",
    # audit actions
    "open_round", "add_listing", "assign_expert", "submit_scores", "start_application",
    "submit_application", "open_applications", "close_applications", "start_publicity",
    "file_objection", "resolve_objection", "confirm_milestone", "deliver_milestone",
    "midterm_review", "merge", "reorder", "create", "retire", "restore", "load",
    # leaks of another kind
    "None", "Field required",
)  # fmt: skip
TOKEN = re.compile(
    r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, FORBIDDEN)) + r")(?![A-Za-z0-9_])"
)
URL = re.compile(r"(https?://|/)[\w./?=&%#:-]*")
# An English word in running text: four lower-case letters or more, not inside a name such as
# "ColorAI" (letters on either side), e-mail addresses dropped first.
ENGLISH = re.compile(r"(?<![A-Za-z])[a-z]{4,}(?![A-Za-z])")
EMAIL = re.compile(r"[\w.+-]+@[\w.-]+")


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "style", "template"):
            self.hidden += 1

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style", "template"):
            self.hidden -= 1

    def handle_data(self, data) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return URL.sub(" ", " ".join(parser.parts))


def leaks(client, url: str, english: bool = False) -> list[str]:
    """Codes on the page at `url`; with `english`, English words too."""
    response = client.get(url, follow_redirects=True)  # e.g. apply → the application already begun
    assert response.status_code == 200, (url, response.status_code)
    text = visible_text(response.get_data(as_text=True))
    found = [(m, TOKEN) for m in TOKEN.finditer(text)]
    if english:
        text = EMAIL.sub(" ", text)
        found += [(m, ENGLISH) for m in ENGLISH.finditer(text)]
    return [
        f"{url}: {m.group(0)!r} in …{text[max(0, m.start() - 30) : m.end() + 30]}…"
        for m, _pattern in found
    ]


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _history(organiser: User, owner: User) -> Need:
    """A published need edited once (version 2) and taxonomy changes of every kind."""
    need = db.session.scalar(
        select(Need).where(Need.owner_id == owner.organisation_id, Need.status == "published")
    )
    fields = {name: getattr(need, name) for name in ("budget_max", "delivery_months")}
    fields["budget_max"] = (fields["budget_max"] or 50) + 10
    fields["delivery_months"] = (fields["delivery_months"] or 6) + 1
    kpis = [k.as_record() for k in need.kpis]
    need_services.update_need(owner, need, {**need.as_record(), **fields, "kpis": None}, kpis)
    templates = db.session.scalars(
        select(ScenarioTemplate)
        .where(ScenarioTemplate.status == "active")
        .order_by(ScenarioTemplate.id)
    ).all()
    taxonomy.move(organiser, templates[3], -1)
    taxonomy.update_template(organiser, templates[4], {"stage": "product_rd"})
    taxonomy.retire_template(organiser, templates[5], "重复")
    taxonomy.merge_templates(organiser, templates[-1], templates[-2], "合并重复场景")
    industry = db.session.scalar(select(Industry).order_by(Industry.id))
    taxonomy.update_group(organiser, industry, {"name_zh": industry.name_zh, "name_en": "Edited"})
    return need


def _programme_pages(organiser: User, owner: User) -> dict[str | None, list[str]]:
    """The programme's newer pages: 通知公告, 答疑 on the open listing, 场景券台账 and both
    供需对接会 (the held one and the one open for registration), for the public, a factory and
    a vendor registered for each, and the organiser."""
    held, upcoming = sorted(db.session.scalars(select(MatchDay)), key=lambda d: d.day)
    notices = list(db.session.scalars(select(Notice).order_by(Notice.id)))
    public = next(n for n in notices if n.is_public)
    draft = next(n for n in notices if n.is_draft)
    asked = db.session.scalar(select(ListingQuestion).order_by(ListingQuestion.id))
    pages: dict[str | None, list[str]] = {
        None: ["/notices/", f"/notices/{public.id}", "/matchdays/", f"/matchdays/{held.id}",
               f"/matchdays/{upcoming.id}", f"/rounds/listings/{asked.listing_id}"],
        owner.email: ["/vouchers/"],
        organiser.email: ["/notices/console", f"/notices/console/{public.id}/edit",
                          f"/notices/{draft.id}", "/notices/console/new", "/matchdays/console",
                          f"/matchdays/console/{held.id}", f"/matchdays/console/{upcoming.id}",
                          f"/matchdays/console/{held.id}/cards", "/matchdays/console/new",
                          "/vouchers/", f"/rounds/listings/{asked.listing_id}",
                          f"/rounds/console/listings/{asked.listing_id}"],
    }  # fmt: skip
    for day in (held, upcoming):
        for kind in ("factory", "vendor"):
            registration = next(r for r in day.registrations if r.kind == kind)
            member = next(u for u in registration.organisation.members if u.active)
            urls = [f"/matchdays/{day.id}", f"/matchdays/{day.id}/agenda"]
            if day is upcoming:
                urls += [f"/matchdays/{day.id}/register", f"/matchdays/{day.id}/partners"]
            pages.setdefault(member.email, []).extend(urls)
    asker = next(u for u in asked.organisation.members if u.active)
    pages.setdefault(asker.email, []).append(f"/rounds/listings/{asked.listing_id}")
    return pages


def _console_and_form_pages(organiser: User, owner: User, vendor: User, expert: User, need: Need):
    """Pages checked for English words too: the organiser's console pages, the forms a factory
    and a vendor fill in, and the account pages."""
    return {
        organiser.email: ["/rounds/console/audit", "/rounds/console/experts",
                          f"/rounds/console/experts/{expert.id}", "/console/gaps",
                          "/console/duplicates", "/console/jobs", "/console/message-reports",
                          "/console/users", "/console/offerings", "/console/import",
                          "/organisations/pending", "/console/taxonomy/templates/new"],
        owner.email: ["/needs/new", "/needs/new?template=T001", f"/needs/{need.id}/edit",
                      "/account", "/account/password"],
        vendor.email: ["/vendor/offerings/new", "/vendor/profile", "/vendor/profile/edit"],
        expert.email: ["/rounds/reviews", "/account"],
    }  # fmt: skip


def test_chinese_pages_show_no_codes_or_field_names(runner, client, app_ctx):
    assert runner.invoke(args=["taxonomy", "load"]).exit_code == 0
    result = runner.invoke(args=["demo", "load", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    organiser = _user("organiser@demo.matchmaker.local")
    owner = _user("factory01@demo.matchmaker.local")
    need = _history(organiser, owner)
    listing = db.session.scalar(select(Listing).order_by(Listing.id))
    accepting = db.session.scalar(select(Listing).where(Listing.stage == "accepting")) or listing
    application = db.session.scalar(select(Application).order_by(Application.id))
    assignment = db.session.scalar(select(ExpertAssignment).order_by(ExpertAssignment.id))
    expert = db.session.get(User, assignment.expert_id)
    vendor = db.session.get(User, application.created_by_id) or _user(
        "vendor01@demo.matchmaker.local"
    )

    pages = {
        None: [
            "/",
            "/needs/",
            "/search?q=视觉检测",
            f"/needs/{need.id}",
            "/rounds/",
            f"/rounds/listings/{listing.id}",
        ],
        owner.email: [f"/needs/{need.id}", "/needs/mine", "/inbox/"],
        vendor.email: [
            f"/rounds/listings/{accepting.id}/apply",
            f"/rounds/applications/{application.id}",
            "/rounds/mine",
            "/vendor/matching-needs",
            "/vendor/offerings",
        ],
        expert.email: ["/rounds/reviews", f"/rounds/reviews/listings/{assignment.listing_id}"],
        organiser.email: [
            "/console",
            "/rounds/console",
            f"/rounds/console/{listing.round_id}",
            f"/rounds/console/listings/{listing.id}",
            "/rounds/console/audit",
            f"/rounds/console/audit?round={listing.round_id}&page=2",
            "/console/taxonomy/audit",
            "/console/exports",
            "/console/drafts",
            "/needs/review",
            f"/needs/{need.id}",
        ],
    }
    programme = _programme_pages(organiser, owner)
    for email, urls in _console_and_form_pages(organiser, owner, vendor, expert, need).items():
        programme.setdefault(email, []).extend(urls)
    for email, urls in programme.items():
        pages.setdefault(email, []).extend(urls)
    found: list[str] = []
    for email, urls in pages.items():
        if email:
            login(client, email, PASSWORD)
        found += [
            leak
            for url in urls
            for leak in leaks(client, url, english=url in programme.get(email, ()))
        ]
        if email:
            logout(client)
    assert not found, "\n".join(found)


def test_the_check_finds_english_but_not_names_or_addresses():
    text = EMAIL.sub(
        " ",
        visible_text("<p>ColorAI 染料配方 · 联系 org1@example.com · This field is required.</p>"),
    )
    assert ENGLISH.findall(text) == ["field", "required"]


def test_the_check_finds_a_raw_code():
    assert TOKEN.findall(visible_text("<p>状态：published · 修改了 budget_max</p>")) == [
        "published",
        "budget_max",
    ]
    assert not TOKEN.findall(visible_text('<a href="/needs/?status=published">已发布</a>'))
    assert not TOKEN.findall(
        visible_text('<select name="budget_max"><option value="draft">草稿</option></select>')
    )
    assert not TOKEN.findall(
        visible_text("<p>見 /rounds/console/audit?action=merge 与 published_at</p>")
    )
