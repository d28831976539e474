"""Bad input into every HTML form of the app: no crash, a clear Chinese message, nothing typed lost.

Discovery: every role GETs every HTML page of the app with the world's ids (test_sweep's
`concrete_paths`, without the missing id, and EXTRA_PAGES) and reads each `<form method=post>`
(a button's `formaction` is a target of its own). Each POST rule's form with the most fields is
kept: the page, the role that saw it, its fields with their types and shown values
(test_every_form_of_the_world_is_swept: every POST rule is found or in NO_FORM_IN_WORLD).

Each variant (VARIANTS) is one request per form, posted as that role with the role's session:
empty fields; 5,000 characters or one hostile value (HOSTILE) in every typed field; 100,000
characters or a NUL in the text areas alone (IN_TEXT_AREAS); every choice and hidden id naming
no row (missing_options). Hidden and read-only fields keep their value otherwise; a variant
that would post exactly what the page shows is not sent; the world is restored after any answer
that may have written. CSRF is off in the tests (TestConfig); a page's hidden fields, the CSRF
token among them when it is on, are sent as shown. Expected of every answer:
- never a 5xx (TESTING lets a view's exception through: caught and counted as a 500);
- never a 200 (a POST that fails re-renders with 422, one that succeeds redirects);
- a 422 shows at least one error, every error in Chinese, and the form again with what was
  typed in it (passwords excepted: they are never written back into a page, by design; file
  inputs cannot be filled back by any page, so no variant sends files);
- typed text is never answered by a bare 400 page;
- a redirect lands on a page that is not an error and says something (a flash: a redirect
  without one may have dropped the input silently), and when text was typed not an error flash
  (a refusal that redirects loses what was typed) unless STATE_REFUSED names it.

The double-submit tests at the end post the create forms twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import HTTPException

from matchmaker.competitions.models import ListingQuestion, Objection
from matchmaker.extensions import db
from matchmaker.matchdays.models import MatchDayRegistration
from matchmaker.messages.models import NeedMessage
from matchmaker.needs.models import Need, NeedInterest
from matchmaker.solvers.models import Offering
from tests import snapshots
from tests.factories import login

from .test_sweep import concrete_paths
from .world import ANONYMOUS, MISSING_ID, ROLES

# Pages with a form that no rule's path reaches: the need form shows once a template is picked.
# The same for pages whose path parameter is not named like the world's key.
EXTRA_PAGES = [
    "/needs/new?template={template_code}",
    "/needs/{need_messages}/messages/{org_vendor_a}",  # <vendor_id>: an organisation's id
    "/password/reset/{reset_token_a}",
    "/rounds/experts/invitation/{invite_token}",
    # <obj_id>: an industry's or a category's id (id 1 exists only while nothing else ever
    # made one: on PostgreSQL a worker's earlier tests move the sequence on)
    "/console/taxonomy/industry/{industry_id}/edit",
    "/console/taxonomy/category/{category_id}/edit",
]
# POST rules whose form no page of the world shows, and why (the world's objects are not in
# the state that shows it). test_every_form_of_the_world_is_swept keeps this list exact.
NO_FORM_IN_WORLD = {
    "accounts.enable_user": "no disabled account",
    "accounts.resend_verification": "every account verified",
    "competitions.apply": "vendor A holds listing_open's application, listing_summary wants "
    "an NDA, vendor B has no published offering (edit_application, the same form, is swept)",
    "competitions.grant_rectification": "award_a already has its rectification",
    "competitions.remove_relation": "no relation an organiser recorded (the world's are declared)",
    "competitions.respond_membership": "no consortium invitation",
    "competitions.start_publicity": "listing_review's panel has not scored",
    "dashboard.hand_over": "no imported draft",
    "dashboard.import_preview": "no uploaded sheet",
    "dashboard.merge": "no near-duplicate needs (the search index is empty)",
    "ledger.record_payment": "no award with a voucher to pay",
    "ledger.reverse_payment": "no recorded payment to reverse",
    "main.judge": "no recommendations (the search index is empty)",
    "matchdays.meeting_action": "the console shows meetings only while scheduling",
    "matchdays.schedule": "no day whose registration has closed unscheduled",
    "needs.unfollow": "nobody follows a need",
}
# GET pages that are files, not HTML: never a form, and the PDFs cost seconds to render.
NOT_HTML = re.compile(r"(_pdf|_file|attachment|_csv|export|import_template|favicon|healthz)$")
# Inputs a person types into (the hostile values go there).
TYPED = {"text", "textarea", "email", "number", "date", "datetime-local", "time", "month",
         "tel", "url", "search", "password"}  # fmt: skip
# Typed inputs whose value is never written back into the page: a password (never echoed).
NOT_KEPT = {"password"}
CHOICES = {"select", "radio", "checkbox"}
HOSTILE = {
    "blank": " ",
    "script": "<script>alert(1)</script>",
    "formula": "=1+1",
    "nul": "a\x00b",
    "emoji": "😀𠀋工厂",
    "fullwidth_digits": "１２３",
    "minus_one": "-1",
    "overflow_float": "1e309",
    "nan": "NaN",
    "past_int64": "9223372036854775808",
    "bad_date": "2026-13-45",
}
# Variants that put their text into the text areas alone and a plausible value into every other
# empty typed field, so that the form passes its other checks and the text reaches the service
# and the database (where PostgreSQL refuses NUL): the others fill every field at once and are
# often refused by a number field first.
IN_TEXT_AREAS = {"long_100000": "字" * 100_000, "nul_in_text_areas": "正文\x00结尾"}
VARIANTS = ["empty", "long_5000", *HOSTILE, *IN_TEXT_AREAS, "missing_options"]
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_PHRASE = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,}")
# A message's element: class "error" or "invalid-feedback" (not "has-error", its field's box).
ERROR_TEXT = re.compile(
    r'<(\w+) class="(?:[^"]*\s)?(?:error|invalid-feedback)(?:\s[^"]*)?"[^>]*>(.*?)</\1>', re.S
)
# Forms the world's state refuses whatever is typed, with this message (a redirect back, as
# for any action the state does not allow now): not a refusal of the input.
STATE_REFUSED = {
    "competitions.acceptance": "还有里程碑未经发榜单位确认。",  # award_a: one unconfirmed
    "competitions.award": "公示期尚未结束，不能确定挂帅单位。",  # listing_publicity: in 公示
}
FLASH = re.compile(r'class="[^"]*\bflash\b')
FLASH_ERROR = re.compile(r'class="[^"]*\bflash-(?:error|danger)\b[^"]*"[^>]*>(.*?)</div>', re.S)


@dataclass
class Field:
    name: str
    kind: str  # the input's type, "select" or "textarea"
    value: str  # what a browser sends as the page shows it ("" for an unticked box)
    checked: bool = True  # False: an unticked checkbox or radio (not sent as shown)
    readonly: bool = False  # shown, not typed into (a record's fixed code): sent as shown


@dataclass
class PageForm:
    role: str
    page: str
    target: str  # the URL it posts to (an empty action: the page's own, query included)
    fields: list[Field] = field(default_factory=list)
    button: tuple[str, str] | None = None  # a named submit button, sent as the browser does

    def data(self, change=None) -> dict[str, list[str]]:
        """The body a browser sends, each field's value passed through `change(field)`."""
        body: dict[str, list[str]] = {}
        for item in self.fields:
            value = change(item) if change else (item.value if item.checked else None)
            if value is not None:
                body.setdefault(item.name, []).append(value)
        if self.button:
            body.setdefault(self.button[0], []).append(self.button[1])
        return body

    def typed(self, kept_only: bool = False) -> list[Field]:
        return [
            f
            for f in self.fields
            if f.kind in TYPED and not f.readonly and not (kept_only and f.kind in NOT_KEPT)
        ]


@dataclass
class OpenForm:
    action: str
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, tuple[str, str] | None]] = field(default_factory=list)


class FormParser(HTMLParser):
    """The page's POST forms, each field with its type and the value a browser would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[OpenForm] = []
        self._form: OpenForm | None = None
        self._select: tuple[str, bool, list[tuple[str, bool]]] | None = (
            None  # name, multiple, options
        )
        self._textarea: list[str] | None = None  # name, text

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = (
                OpenForm(a.get("action", "")) if a.get("method", "").lower() == "post" else None
            )
            if self._form:
                self.forms.append(self._form)
        elif self._form is None or "disabled" in a:
            return
        elif tag in ("input", "button"):
            self._control(tag, a)
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], "multiple" in a, [])
        elif tag == "option" and self._select is not None:
            self._select[2].append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def _control(self, tag: str, a: dict[str, str]) -> None:
        kind = a.get("type", "text" if tag == "input" else "submit").lower()
        if kind in ("submit", "image"):
            button = (a["name"], a.get("value", "")) if a.get("name") else None
            self._form.buttons.append((a.get("formaction", ""), button))
        elif tag == "input" and a.get("name") and kind not in ("button", "reset", "file"):
            choice = kind in ("checkbox", "radio")
            value = a.get("value", "on" if choice else "")
            checked = not choice or "checked" in a
            self._form.fields.append(Field(a["name"], kind, value, checked, "readonly" in a))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            text = text.removeprefix("\r").removeprefix("\n")  # the newline after <textarea>
            self._form.fields.append(Field(name, "textarea", text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, multiple, options = self._select
            chosen = [v for v, selected in options if selected]
            if not chosen and not multiple:
                chosen = [v for v, _ in options[:1]]  # a browser sends the first option
            self._form.fields.extend(Field(name, "select", value) for value in chosen)
            self._select = None


def page_forms(html: str, page: str, role: str) -> list[PageForm]:
    """One PageForm per target: each `formaction` button posts the form somewhere else; a
    named button without one is sent as its value (the first such button)."""
    parser = FormParser()
    parser.feed(html)
    forms = []
    for form in parser.forms:
        elsewhere = [(target, button) for target, button in form.buttons if target]
        named = [button for target, button in form.buttons if not target and button]
        for target, button in elsewhere or [(form.action, named[0] if named else None)]:
            path = urlsplit(target or page)._replace(scheme="", netloc="", fragment="").geturl()
            forms.append(PageForm(role, page, path, list(form.fields), button))
    return forms


def post_endpoint(app, path: str) -> str | None:
    try:
        endpoint, _ = app.url_map.bind("localhost").match(urlsplit(path).path, method="POST")
    except HTTPException:
        return None
    return endpoint


def discover(app, world) -> tuple[dict[str, PageForm], dict[str, str]]:
    """For every POST endpoint, the form with the most fields any role is shown; and each
    role's session cookie (logged in once, reused by every post)."""
    best: dict[str, PageForm] = {}
    cookies: dict[str, str] = {}
    for role in ROLES:
        client = app.test_client()
        if role != ANONYMOUS:
            login(client, world.email[role])
            client.get("/")  # the login's flash is shown once, not carried into every post
            cookies[role] = client.get_cookie("session").value
        for path in html_pages(app, world):
            response = client.get(path)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            for form in page_forms(response.get_data(as_text=True), path, role):
                endpoint = post_endpoint(app, form.target)
                known = best.get(endpoint)
                if endpoint and (known is None or len(form.fields) > len(known.fields)):
                    best[endpoint] = form
    return best, cookies


def html_pages(app, world) -> list[str]:
    """Every GET rule's paths with the world's ids (not the missing one), files aside."""
    paths = [world.path(page) for page in EXTRA_PAGES]
    for rule in app.url_map.iter_rules():
        page = "GET" in rule.methods and not rule.rule.startswith(("/api", "/static"))
        if page and not NOT_HTML.search(rule.endpoint):
            paths += [p for p in concrete_paths(rule, world) if str(MISSING_ID) not in p]
    return paths


# --- the variants ------------------------------------------------------------------------

DATE_KINDS = {"date": "2026-06-01", "datetime-local": "2026-06-01T09:00", "time": "09:00",
              "month": "2026-06"}  # fmt: skip


def changed(f: Field, variant: str, typed: list[Field]) -> str | None:
    """What `variant` sends in field `f` (None: not sent). Hidden and read-only fields keep
    their value (nobody types there) except in missing_options."""
    is_typed = any(f is t for t in typed)
    if variant == "empty":
        return "" if is_typed or f.kind == "select" else None if f.kind in CHOICES else f.value
    if variant == "missing_options":  # every choice and hidden id names no row; empty typed
        if f.kind in CHOICES or f.kind == "hidden":  # fields get a value past "required"
            return str(MISSING_ID)
        return plausible(f) if is_typed else f.value
    if variant in IN_TEXT_AREAS:
        if is_typed and f.kind == "textarea":
            return IN_TEXT_AREAS[variant]
        return plausible(f) if is_typed else f.value if f.checked else None
    if not is_typed:
        return f.value if f.checked else None
    return "字" * 5_000 if variant == "long_5000" else HOSTILE[variant]


def plausible(f: Field) -> str:
    """What the field shows, or a value most checks take when it is empty."""
    return f.value or DATE_KINDS.get(f.kind, "x@example.com" if f.kind == "email" else "1")


def variant_data(form: PageForm, variant: str) -> dict[str, list[str]] | None:
    """The body of `variant` for `form`; None when it is what the page shows (nothing to try),
    except for "empty", which every form gets once."""
    typed = form.typed()
    if variant in IN_TEXT_AREAS and not any(f.kind == "textarea" for f in typed):
        return None
    if not typed and variant not in ("empty", "missing_options"):
        return None  # nothing to type into: the variant is what the page shows
    body = form.data(lambda f: changed(f, variant, typed))
    return None if body == form.data() and variant != "empty" else body


# --- what an answer must be ---------------------------------------------------------------


def normal(value: str) -> str:
    """A value as compared: NUL (or the replacement a page shows for it), blanks and letter
    case aside (a credit code is shown as it is compared: blanks removed, upper case)."""
    return "".join(value.replace("\x00", "").replace("\ufffd", "").split()).casefold()


def error_problems(html: str) -> list[str]:
    texts = [re.sub(r"<[^>]+>", "", m.group(2)).strip() for m in ERROR_TEXT.finditer(html)]
    if not texts:
        return ["422 without an error message"]
    return [
        f"error not in Chinese: {t[:80]!r}"
        for t in texts
        if not CJK.search(t) or ENGLISH_PHRASE.search(t)
    ]


def kept_problems(form: PageForm, body: dict[str, list[str]], html: str) -> list[str]:
    """What was typed into the form is in the re-rendered form."""
    shown = [f for f in page_forms(html, form.page, form.role) if f.target == form.target]
    if not shown:
        return ["422 without the form"]
    values: dict[str, list[str]] = {}
    for item in shown[0].fields:
        values.setdefault(item.name, []).append(item.value)
    lost = []
    for item in {f.name: f for f in form.typed(kept_only=True)}.values():
        sent = [normal(v) for v in body.get(item.name, [])]
        if sent and sent != [normal(v) for v in values.get(item.name, [])]:
            lost.append(item.name)
    return [f"typed values lost: {', '.join(lost)}"] if lost else []


def answer_problems(client, form: PageForm, variant: str, body, response) -> list[str]:
    status = response.status_code
    if status >= 500 or status == 200:
        return [f"{status}"]
    if status == 422:
        html = response.get_data(as_text=True)
        return error_problems(html) + kept_problems(form, body, html)
    typed = variant not in ("empty", "missing_options") and form.typed(kept_only=True)
    if status == 400 and typed:  # a bare "bad request" page: what was typed is gone
        return ["400: what was typed is lost"]
    if not 300 <= status < 400:
        return []
    landing = client.get(response.headers["Location"])
    if landing.status_code >= 500:
        return [f"redirect to a {landing.status_code}"]
    refused = [m.strip() for m in FLASH_ERROR.findall(landing.get_data(as_text=True))]
    if refused == [STATE_REFUSED.get(post_endpoint(client.application, form.target))]:
        return []
    if typed and not FLASH.search(landing.get_data(as_text=True)):
        return ["redirected without a word: was what was typed saved or dropped?"]
    if typed and refused:
        return [f"refused by a redirect, what was typed is lost: {refused[0].strip()[:80]}"]
    return []


# --- the sweep ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def forms(app, built_world):
    world, snapshot = built_world
    with app.app_context():
        snapshots.restore(snapshot)
        return discover(app, world)


def client_of(app, cookies: dict[str, str], role: str):
    client = app.test_client()
    if role != ANONYMOUS:
        client.set_cookie("session", cookies[role])
    return client


def submit(app, cookies, form: PageForm, variant: str, body) -> tuple[list[str], bool]:
    """Post `body` as the form's role: the problems with the answer, and whether it may have
    written (anything but a 4xx, which the services answer before their commit)."""
    client = client_of(app, cookies, form.role)
    try:
        response = client.post(form.target, data=body)
    except Exception as err:  # noqa: BLE001 — TESTING lets a view's error through: a 500
        db.session.rollback()
        db.session.remove()
        return [f"500 {type(err).__name__}: {str(err)[:160]}"], True
    return answer_problems(client, form, variant, body, response), not (
        400 <= response.status_code < 500
    )


@pytest.mark.parametrize("variant", VARIANTS)
def test_bad_input_never_crashes_nor_loses_what_was_typed(variant, app, world, built_world, forms):
    found, cookies = forms
    _, snapshot = built_world
    problems = []
    for endpoint, form in sorted(found.items()):
        body = variant_data(form, variant)
        if body is None:
            continue
        found_problems, wrote = submit(app, cookies, form, variant, body)
        problems += [f"{endpoint} as {form.role}, POST {form.target}: {p}" for p in found_problems]
        if wrote:
            snapshots.restore(snapshot)  # the next form starts from the world again
    assert not problems, "\n".join(problems)


# --- double submits -----------------------------------------------------------------------
# The create actions, each form posted twice exactly as filled (a double click or a resent
# request: same fields, same hidden per-form token where the form has one; CSRF is off in the
# tests, and its token is per session, not per form, so it tells no repeat from a new post).


def page_form(client, world, page: str, target: str) -> PageForm:
    page = world.path(page)
    html = client.get(page).get_data(as_text=True)
    (form,) = [f for f in page_forms(html, page, "") if f.target == world.path(target)]
    return form


def post_twice(client, form: PageForm, **values) -> list[int]:
    """The form as shown with `values` typed in (a list for repeated names), posted twice."""
    body = {
        **form.data(),
        **{name: v if isinstance(v, list) else [v] for name, v in values.items()},
    }
    return [client.post(form.target, data=body).status_code for _ in range(2)]


def count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_a_need_posted_twice_is_one_draft(world, client_as):
    client = client_as("factory_a")
    page = "/needs/new?template={template_code}"
    form = page_form(client, world, page, page)
    before = count(Need, Need.owner_id == world.ids["org_factory_a"])
    statuses = post_twice(client, form, title="双击发布的需求", goal="漏检率降到 2% 以下",
        pain_point="人工验布漏检多", budget_min="30", budget_max="50", delivery_months="6",
        town="衙前镇", **{"kpis-0-indicator": "漏检率", "kpis-0-baseline": "10",
        "kpis-0-target": "2", "kpis-0-direction": "down"})  # fmt: skip
    assert statuses == [302, 302]
    assert count(Need, Need.owner_id == world.ids["org_factory_a"]) == before + 1


def test_an_offering_created_twice_is_one_draft(world, client_as):
    client = client_as("vendor_b")
    form = page_form(client, world, "/vendor/offerings/new", "/vendor/offerings/new")
    org = world.ids["org_vendor_b"]
    statuses = post_twice(client, form, title="双击创建的方案", summary="120 米/分钟实时识别疵点。",
        template_ids=str(world.ids["template_id"]), tech_tags="vision", deployment_modes="on_prem",
        price_min="30", price_max="80", delivery_weeks="8",
        **{"kpis-0-indicator": "漏检率", "kpis-0-before": "5", "kpis-0-after": "0.8",
           "kpis-0-direction": "down"})  # fmt: skip
    assert statuses == [302, 302]
    assert count(Offering, Offering.organisation_id == org) == 1


def test_a_message_sent_twice_is_one_message(world, client_as):
    """The form carries a per-form token (hidden `token`): the resend is the same message."""
    client = client_as("vendor_a")
    page = "/needs/{need_messages}/messages/{org_vendor_a}"
    form = page_form(client, world, page, page)
    before = count(NeedMessage)
    assert post_twice(client, form, body="双击发送的消息") == [302, 302]
    assert count(NeedMessage) == before + 1


def test_a_question_asked_twice_and_an_answer_given_twice_are_stored_once(world, client_as):
    vendor, organiser = client_as("vendor_a"), client_as("organiser")
    form = page_form(vendor, world, "/rounds/listings/{listing_open}",
                     "/rounds/listings/{listing_open}/questions")  # fmt: skip
    before = count(ListingQuestion)
    assert post_twice(vendor, form, body="夜班是否有补光条件？") == [302, 302]
    assert count(ListingQuestion) == before + 1
    form = page_form(organiser, world, "/rounds/listings/{listing_open}",
                     "/rounds/questions/{question_open}/answer")  # fmt: skip
    assert post_twice(organiser, form, answer="有，LED 补光。") == [302, 302]
    question = db.session.get(ListingQuestion, world.ids["question_open"])
    assert question.answer == "有，LED 补光。"


def test_an_interest_sent_twice_is_one_interest(world, client_as):
    """The repeat is told that the organisation already responded (422): one record."""
    client = client_as("vendor_a")
    form = page_form(client, world, "/needs/{need_public}", "/needs/{need_public}/interest")
    assert post_twice(client, form, message="我们做过类似项目") == [302, 422]
    where = (NeedInterest.need_id == world.ids["need_public"],)
    assert count(NeedInterest, *where) == 1


def test_a_matchday_registration_sent_twice_is_one_registration(world, client_as):
    client = client_as("factory_a")
    page = "/matchdays/{day_open}/register"
    form = page_form(client, world, page, page)
    assert post_twice(client, form) == [302, 302]
    where = (MatchDayRegistration.match_day_id == world.ids["day_open"],
             MatchDayRegistration.organisation_id == world.ids["org_factory_a"])  # fmt: skip
    assert count(MatchDayRegistration, *where) == 1


def test_an_objection_filed_twice_is_one_objection(world, client_as):
    client = client_as("factory_a")
    form = page_form(client, world, "/rounds/listings/{listing_publicity}/publicity",
                     "/rounds/listings/{listing_publicity}/objections")  # fmt: skip
    before = count(Objection)
    post_twice(client, form, reason="第二名的评分有疑问")
    assert count(Objection) == before + 1


def test_every_form_of_the_world_is_swept(app, forms):
    """Every POST rule's form is found on some page, except those NO_FORM_IN_WORLD names."""
    found, _ = forms
    posts = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}
    posts = {e for e in posts if not e.startswith("api.")}
    assert {e for e in posts if e not in found} == set(NO_FORM_IN_WORLD)
    assert len(found) >= 75 and sum(1 for form in found.values() if form.typed()) >= 45
