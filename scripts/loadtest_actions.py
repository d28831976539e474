"""The load mix of `make loadtest`: weighted actions of one virtual visitor.

Each action is a function `(visitor) -> None` that makes its requests through
`visitor.get` / `visitor.post` (each request is timed and checked against the statuses it
expects) and reports every write the server acknowledged with `visitor.wrote(kind, key)`.
After the run, `WRITE_CHECKS[kind]` (SQL returning the keys present) finds acknowledged
writes missing from the database. Actions pick ids and e-mails from `DEMO_QUERIES` lists
(`visitor.pick(name)`), or claim items of such a list for one visitor at a time
(`visitor.context.claim(name)` / `release`: an organisation's application, an expert's sheet,
a milestone). A feature adds its actions to `ACTIONS` (and, for writes, its check to
`WRITE_CHECKS`, its mail check to `MAIL_CHECKS`; a write that replaces the previous one of the
same object goes in `LAST_WINS`). What the demo lacks, `stage_competitions` adds before the run:

    Action("apply to round", 5, apply_to_round)    # a vendor logs in and applies
    WRITE_CHECKS["applications"] = "SELECT … FROM applications WHERE … = ANY(%s)"
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import random
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode, urlsplit

from matchmaker.accounts.credit_code import make_credit_code

TOKEN = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


class RequestFailed(Exception):
    """A request answered with a status the action did not expect, or not at all."""


@dataclass
class Sample:
    action: str
    seconds: float
    error: str | None = None


@dataclass
class Context:
    """What the actions may use: the server and the demo data."""

    host: str
    port: int
    password: str
    data: dict[str, list]  # DEMO_QUERIES name → values read from the database before the run
    stop: threading.Event = field(default_factory=threading.Event)
    organiser: str = "organiser@demo.matchmaker.local"
    # Needs this run posted (id, title), waiting for the organiser's approval.
    submitted: list[tuple[int, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # DEMO_QUERIES lists whose items one visitor at a time may use (`claim` / `release`).
    pools: dict[str, list] = field(default_factory=dict)
    saved_sheets: set = field(default_factory=set)  # sheets saved once already this run

    def claim(self, name: str, count: int = 1) -> list | None:
        """`count` items of the pool `name` for this visitor alone, or None if too few are free."""
        with self.lock:
            free = self.pools.setdefault(name, list(self.data.get(name, [])))
            if len(free) < count:
                return None
            return [free.pop(random.randrange(len(free))) for _ in range(count)]

    def release(self, name: str, items: list) -> None:
        with self.lock:
            self.pools[name].extend(items)


@dataclass
class Visitor:
    context: Context
    record: Callable[[Sample], bool]  # False once the request budget is spent
    acknowledge: Callable[[str, str], None]
    lag: Callable[[float | None], None] = lambda seconds: None  # index lag samples (None: gave up)
    last_status: int = 0
    action: str = ""
    cookies: dict[str, str] = field(default_factory=dict)
    location: str = ""  # the Location header of the last response (a redirect's target)

    def fresh(self, action: str) -> None:
        self.action, self.cookies = action, {}

    def get(self, path: str, expect=(200,)) -> str:
        return self._request("GET", path, None, expect)

    def post(self, path: str, form: dict[str, str], expect=(302,)) -> str:
        return self._request("POST", path, form, expect)

    def token(self, path: str) -> str:
        match = TOKEN.search(self.get(path))
        if match is None:
            raise RequestFailed(f"no CSRF token on {path}")
        return match.group(1)

    def pick(self, name: str):
        return random.choice(self.context.data[name])

    def wrote(self, kind: str, key: str) -> None:
        self.acknowledge(kind, key)

    def follow(self, success: str) -> str:
        """GET the last redirect's target (as a browser does) and require the flashed `success`
        message there: a service that refused flashes its reason and redirects all the same."""
        page = self.get(urlsplit(self.location).path or "/")
        if success not in page:
            self._sample(time.perf_counter(), "refused")
            raise RequestFailed(f"no {success!r} after {self.location}")
        return page

    def _request(self, method: str, path: str, form, expect) -> str:
        body = urlencode(form) if form is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(self.context.host, self.context.port, timeout=30)
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as err:
            self._sample(started, f"{type(err).__name__}")
            raise RequestFailed(str(err)) from err
        finally:
            conn.close()
        self.location = response.getheader("Location") or ""
        self.last_status = response.status
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.status not in expect:
            self._sample(started, f"HTTP {response.status}")
            raise RequestFailed(f"{method} {path}: {response.status}")
        self._sample(started, None)
        return text

    def _sample(self, started: float, error: str | None) -> None:
        elapsed = time.perf_counter() - started
        if not self.record(Sample(self.action, elapsed, error)):
            self.context.stop.set()


def view_home(v: Visitor) -> None:
    v.get("/")


def view_library(v: Visitor) -> None:
    v.get("/scenarios/")


def view_template(v: Visitor) -> None:
    v.get(f"/scenarios/{v.pick('template_codes')}")


def login_and_profile(v: Visitor) -> None:
    token = v.token("/login")
    email = v.pick("factory_emails")
    v.post("/login", {"csrf_token": token, "email": email, "password": v.context.password})
    v.get("/account")


_serial = itertools.count(secrets.randbelow(10**8))
_serial_lock = threading.Lock()


def register_organisation(v: Visitor) -> None:
    """A write: a new factory registers; acknowledged by the redirect (to the login page)."""
    with _serial_lock:
        n = next(_serial)
    code = make_credit_code(f"91440699{n % 10**9:09d}")
    form = {
        "csrf_token": v.token("/register"),
        "kind": "factory",
        "org_name": f"压测工厂{n}",
        "credit_code": code,
        "contact_name": "压测",
        "contact_phone": "13800138000",
        "district": "萧山区",
        "town": "瓜沥镇",
        "name": "压测用户",
        "email": f"load-{n}@load.example.com",
        "password": "load-pass-123",
        "password2": "load-pass-123",
    }
    v.post("/register", form)
    v.wrote("organisations", code)


def post_need(v: Visitor) -> None:
    """A write: a demo factory logs in and submits a need from a template for review;
    acknowledged by the redirect to the need's page."""
    code, template_id, industry_id, category_id = v.pick("template_rows")
    login_and_profile(v)
    page = f"/needs/new?template={code}"
    with _serial_lock:
        n = next(_serial)
    title = f"压测需求{n} lt{secrets.token_hex(4)}"  # the token makes it findable by /search
    form = {
        "csrf_token": v.token(page),
        "title": title,
        "industry_id": industry_id,
        "category_id": category_id,
        "template_id": template_id,
        "goal": "压测：部署视觉检测，漏检率低于 2%。",
        "pain_point": "压测：人工检测漏检多。",
        "current_process": "人工",
        "data_sources": "camera",
        "data_volume": "每天约 1TB",
        "data_labelled": "no",
        "kpis-0-indicator": "漏检率",
        "kpis-0-baseline": "10",
        "kpis-0-target": "2",
        "kpis-0-unit": "%",
        "kpis-0-direction": "down",
        "budget_min": "30",
        "budget_max": "60",
        "delivery_months": "6",
        "town": "瓜沥镇",
        "confidentiality": "public",
        "submit": "保存并提交审核",
    }
    v.post(page, form)
    v.wrote("needs", title)
    need_id = re.search(r"/needs/(\d+)", v.location)
    if need_id:
        with v.context.lock:
            v.context.submitted.append((int(need_id.group(1)), title))


def view_hall(v: Visitor) -> None:
    v.get("/needs/")


def view_need(v: Visitor) -> None:
    v.get(f"/needs/{v.pick('public_need_ids')}")


def view_solutions(v: Visitor) -> None:
    v.get("/solutions/")


def view_offering(v: Visitor) -> None:
    v.get(f"/solutions/{v.pick('offering_ids')}")


def log_in(v: Visitor, email: str) -> None:
    token = v.token("/login")
    v.post("/login", {"csrf_token": token, "email": email, "password": v.context.password})


def approve_need(v: Visitor) -> None:
    """A write: the organiser approves a need this run posted; then, as its owner would, the
    visitor searches for it until /search lists it (the "index lag" samples: the time from
    the approval's answer to the need being searchable, through the queue's worker)."""
    with v.context.lock:
        if not v.context.submitted:
            return
        need_id, title = v.context.submitted.pop(0)
    log_in(v, v.context.organiser)
    token = v.token("/needs/review")
    v.post(f"/needs/{need_id}/review/approve", {"csrf_token": token, "comment": ""})
    v.wrote("approvals", str(need_id))
    acknowledged = time.perf_counter()
    path = f"/search?q={quote(title)}"
    while f'href="/needs/{need_id}"' not in v.get(path):
        if time.perf_counter() - acknowledged > INDEX_LAG_GIVE_UP:
            v.lag(None)
            return
        time.sleep(0.2)
    v.lag(time.perf_counter() - acknowledged)


INDEX_LAG_GIVE_UP = 30.0  # seconds; the stated bound is 5 s


def _vendor_on(v: Visitor, pool: str) -> tuple[int, str]:
    need_id = v.pick(pool)
    email = v.pick("vendor_emails")
    log_in(v, email)
    return need_id, email


def accept_nda(v: Visitor) -> None:
    """A write: a vendor member signs the NDA of a summary-only need (once per organisation;
    a repeat answers the same). The owner is mailed on the first acceptance."""
    need_id, email = _vendor_on(v, "summary_need_ids")
    token = v.token(f"/needs/{need_id}")
    v.post(f"/needs/{need_id}/nda", {"csrf_token": token})
    v.wrote("nda", f"{need_id}:{email}")


def follow_need(v: Visitor) -> None:
    """A write: a vendor member follows a need (a repeat changes nothing)."""
    need_id, email = _vendor_on(v, "public_need_ids")
    token = v.token(f"/needs/{need_id}")
    v.post(f"/needs/{need_id}/follow", {"csrf_token": token})
    v.wrote("follows", f"{need_id}:{email}")


def send_interest(v: Visitor) -> None:
    """A write: 意向响应 on a public need, one per organisation (a repeat is refused, 422);
    the owner is mailed."""
    need_id, email = _vendor_on(v, "open_need_ids")
    token = v.token(f"/needs/{need_id}")
    form = {"csrf_token": token, "message": "压测：我们有成熟方案，可两周内现场演示。"}
    v.post(f"/needs/{need_id}/interest", form, expect=(302, 422))
    if v.last_status == 302:
        v.wrote("interests", f"{need_id}:{email}")


def search_page(v: Visitor) -> None:
    v.get(f"/search?q={quote(random.choice(SEARCH_QUERIES))}")


def vendor_matches(v: Visitor) -> None:
    """The match pages: a vendor's 适合我的榜单 and a need page with its 推荐揭榜方 (owner)."""
    log_in(v, v.pick("vendor_emails"))
    v.get("/vendor/matching-needs")


def owner_matches(v: Visitor) -> None:
    need_id, email = v.pick("owned_needs")
    log_in(v, email)
    v.get(f"/needs/{need_id}")


def _token_in(page: str) -> str:
    match = TOKEN.search(page)
    if match is None:
        raise RequestFailed("no CSRF token on the page")
    return match.group(1)


def _next_serial() -> int:
    with _serial_lock:
        return next(_serial)


def _application_id(location: str) -> str:
    found = re.search(r"/rounds/applications/(\d+)", location)
    if found is None:
        raise RequestFailed(f"not an application's page: {location!r}")
    return found.group(1)


def apply_to_listing(v: Visitor) -> None:
    """Writes of 揭榜: a vendor starts an application on a listing that accepts applications,
    saves it with another vendor invited as its consortium member, that member confirms, the
    lead submits, then withdraws it (the window is open) so that its next application is a new
    one again. Lead and member are claimed: one visitor at a time per organisation (one live
    application per listing and organisation). Acknowledged (by the flashed success on the
    page the answer redirects to): the draft, the invitation, the confirmation, the
    submission and the withdrawal, each keyed by the application id."""
    listings = v.context.data.get("accepting_listings", [])
    pair = v.context.claim("applicants", 2) if listings else None
    if pair is None:
        return
    try:
        _application_cycle(v, random.choice(listings), *pair)
    finally:
        v.context.release("applicants", pair)


def _application_form(v: Visitor, listing_id: int, budget, offering_id: int) -> dict[str, str]:
    n = _next_serial()
    form = {
        "offering_id": str(offering_id),
        "approach": f"压测方案 lt{n}：数据治理、模型训练、产线部署与持续迭代。",
        "team": "项目经理 1 名，算法工程师 3 名，实施工程师 2 名。",
        "price": f"{float(budget or 80) * 0.9:.0f}",
        "voucher_use": "",
        "rights_declared": "y",
        "member_codes": "",
    }
    kpis = [row for row in v.context.data["accepting_kpis"] if row[0] == listing_id]
    for i, (_listing, kpi_id, target) in enumerate(kpis):
        form[f"commitments-{i}-kpi_id"] = str(kpi_id)
        form[f"commitments-{i}-committed"] = f"{target:g}"  # the target itself: not lowered
    for i, (title, months) in enumerate((("数据采集与标注", 2), ("模型上线试运行", 4))):
        due = time.gmtime(time.time() + months * 30 * 86400)
        form[f"milestones-{i}-title"] = title
        form[f"milestones-{i}-due_date"] = time.strftime("%Y-%m-%d", due)
        form[f"milestones-{i}-deliverable"] = "报告"
    return form


def _application_cycle(v: Visitor, listing: tuple, lead: tuple, member: tuple) -> None:
    listing_id, budget = listing
    _org, email, _code, offering_id = lead
    log_in(v, email)
    apply = f"/rounds/listings/{listing_id}/apply"
    page = v.get(apply, expect=(200, 302))
    if v.last_status == 302:  # a live application an interrupted cycle left: withdraw it
        left = f"/rounds/applications/{_application_id(v.location)}"
        v.post(f"{left}/withdraw", {"csrf_token": v.token(left)})
        page = v.get(apply)
    form = _application_form(v, listing_id, budget, offering_id)
    v.post(apply, {**form, "csrf_token": _token_in(page)})
    app_id = _application_id(v.location)
    v.follow("揭榜申请草稿已保存。")
    v.wrote("applications", app_id)
    path = f"/rounds/applications/{app_id}"
    form.update(member_codes=member[2], csrf_token=v.token(f"{path}/edit"))
    v.post(f"{path}/edit", form)
    v.follow("揭榜申请草稿已保存。")
    v.wrote("consortium invitations", app_id)
    lead_cookies, v.cookies = v.cookies, {}
    log_in(v, member[1])
    v.post(f"{path}/membership/accept", {"csrf_token": v.token(path)})
    v.follow("已回复联合体邀请。")
    v.wrote("consortium confirmations", app_id)
    v.cookies = lead_cookies
    v.post(f"{path}/submit", {"csrf_token": v.token(path)})
    token = _token_in(v.follow("揭榜申请已提交。"))
    v.wrote("submissions", app_id)
    v.post(f"{path}/withdraw", {"csrf_token": token})
    v.follow("揭榜申请已撤回。")
    v.wrote("withdrawals", app_id)


def score_sheet(v: Visitor) -> None:
    """A write: an expert saves (without submitting: it stays editable) the score sheet of an
    eligible application of a listing under review; the first save of each sheet is
    double-clicked (two posts at once; before the fix the second was a 500). Each (application, expert) sheet is
    claimed by one visitor at a time, so its saves are acknowledged in order; every save marks
    its comments with a new number, and the check wants the last acknowledged one stored."""
    claimed = v.context.claim("sheet_pairs")
    if claimed is None:
        return
    [(app_id, email)] = claimed
    try:
        log_in(v, email)
        path = f"/rounds/reviews/applications/{app_id}"
        page = v.get(path)
        marker = f"lt{_next_serial()}"
        form = {"csrf_token": _token_in(page), "save": ""}
        for code in re.findall(r'name="score_([\w-]+)"', page):
            form[f"score_{code}"] = str(random.randint(4, 9))
            form[f"comment_{code}"] = f"压测评语 {marker}"
        with v.context.lock:
            first = (app_id, email) not in v.context.saved_sheets
            v.context.saved_sheets.add((app_id, email))
        if first:  # the first save is double-clicked: two posts at once, one sheet
            _twice(v, path, form)
        else:
            v.post(path, form)
        v.follow("评分已保存。")
        v.wrote("score sheets", f"{app_id}:{email}:{marker}")
    finally:
        v.context.release("sheet_pairs", claimed)


def _twice(v: Visitor, path: str, form: dict[str, str]) -> None:
    """POST the form from this visitor's session twice at once (a double click); both must
    be answered as one (302)."""
    twin = Visitor(v.context, v.record, v.acknowledge, action=v.action, cookies=dict(v.cookies))

    def post_twin() -> None:
        with contextlib.suppress(RequestFailed):  # recorded as an error sample already
            twin.post(path, form)

    thread = threading.Thread(target=post_twin)
    thread.start()
    try:
        v.post(path, form)
    finally:
        thread.join()
    if twin.last_status != 302:
        raise RequestFailed(f"the double click's twin got {twin.last_status}")


def report_milestone(v: Visitor) -> None:
    """A write: the awarded vendor reports a milestone of its listing in 攻关 done (each
    milestone once; the listing's factory is mailed)."""
    claimed = v.context.claim("open_milestones")
    if claimed is None:
        return
    [(milestone_id, award_id, email)] = claimed
    log_in(v, email)
    page = v.get(f"/rounds/awards/{award_id}")
    note = f"压测：里程碑 {milestone_id} 已完成，交付物见清单。"
    v.post(
        f"/rounds/milestones/{milestone_id}/evidence", {"csrf_token": _token_in(page), "note": note}
    )
    v.follow("完成情况已提交，等待发榜单位确认。")
    v.wrote("milestones", str(milestone_id))


SEARCH_QUERIES = ("布面疵点检测", "设备预测性维护", "视觉检测 漏检率", "能耗优化", "排产")


@dataclass(frozen=True)
class Action:
    name: str
    weight: int
    run: Callable[[Visitor], None]


ACTIONS = [
    Action("home", 10, view_home),
    Action("scenario library", 10, view_library),
    Action("template page", 15, view_template),
    Action("need hall", 15, view_hall),
    Action("need page", 15, view_need),
    Action("solutions directory", 10, view_solutions),
    Action("offering page", 10, view_offering),
    Action("login + profile", 10, login_and_profile),
    Action("register organisation", 5, register_organisation),
    Action("post need", 5, post_need),
    Action("approve need + search", 3, approve_need),
    Action("accept NDA", 4, accept_nda),
    Action("follow need", 4, follow_need),
    Action("send interest", 3, send_interest),
    Action("search", 8, search_page),
    Action("vendor matches", 5, vendor_matches),
    Action("need page matches", 5, owner_matches),
    Action("apply to listing", 3, apply_to_listing),
    Action("score sheet", 3, score_sheet),
    Action("report milestone", 2, report_milestone),
]

# What the actions pick from, read from the prepared database before the run.
DEMO_QUERIES = {
    "template_codes": "SELECT code FROM scenario_templates WHERE status = 'active'",
    "template_rows": (
        "SELECT code, id, industry_id, category_id FROM scenario_templates WHERE status = 'active'"
    ),
    "factory_emails": (
        "SELECT u.email FROM users u JOIN organisations o ON o.id = u.organisation_id"
        " WHERE u.role = 'factory_member' AND o.status = 'approved'"
    ),
    "public_need_ids": (
        "SELECT id FROM needs WHERE status = 'published' AND confidentiality <> 'invited_only'"
    ),
    "offering_ids": "SELECT id FROM offerings WHERE status = 'published'",
    "summary_need_ids": (
        "SELECT id FROM needs WHERE status = 'published' AND confidentiality = 'summary_only'"
    ),
    "open_need_ids": (
        "SELECT id FROM needs WHERE status = 'published' AND confidentiality = 'public'"
    ),
    "vendor_emails": (
        "SELECT u.email FROM users u JOIN organisations o ON o.id = u.organisation_id"
        " WHERE u.role = 'vendor_member' AND o.status = 'approved' AND u.active"
    ),
    "owned_needs": (
        "SELECT n.id, min(u.email) FROM needs n JOIN users u ON u.organisation_id = n.owner_id"
        " WHERE n.status = 'published' AND u.active GROUP BY n.id"
    ),
    # 揭榜: listings in their window whose needs are all public (no NDA to sign first) …
    "accepting_listings": (
        "SELECT l.id, l.budget FROM listings l JOIN rounds r ON r.id = l.round_id"
        " WHERE l.stage = 'accepting' AND l.consortium_allowed"
        " AND r.opens_at <= now() AND now() < r.closes_at AND NOT EXISTS ("
        "SELECT 1 FROM listing_needs ln JOIN needs n ON n.id = ln.need_id"
        " WHERE ln.listing_id = l.id AND n.confidentiality <> 'public')"
    ),
    "accepting_kpis": (
        "SELECT k.listing_id, k.id, k.target FROM listing_kpis k"
        " JOIN listings l ON l.id = k.listing_id WHERE l.stage = 'accepting' ORDER BY k.id"
    ),
    # … and the vendors that may apply (no live application there yet): (org, e-mail, credit
    # code, offering)
    "applicants": (
        "SELECT o.id, min(u.email), o.credit_code, min(f.id) FROM organisations o"
        " JOIN users u ON u.organisation_id = o.id AND u.role = 'vendor_member' AND u.active"
        " JOIN offerings f ON f.organisation_id = o.id AND f.status = 'published'"
        " WHERE o.status = 'approved' AND NOT EXISTS (SELECT 1 FROM applications a"
        " JOIN listings l ON l.id = a.listing_id WHERE a.organisation_id = o.id"
        " AND l.stage = 'accepting' AND a.status <> 'withdrawn') GROUP BY o.id"
    ),
    # (application, expert e-mail): sheets still editable on listings under review
    "sheet_pairs": (
        "SELECT a.id, u.email FROM applications a JOIN listings l ON l.id = a.listing_id"
        " JOIN expert_assignments ea ON ea.listing_id = l.id AND ea.status = 'assigned'"
        " JOIN users u ON u.id = ea.expert_id AND u.active"
        " LEFT JOIN score_sheets s ON s.application_id = a.id AND s.expert_id = u.id"
        " WHERE l.stage = 'under_review' AND a.status = 'eligible' AND s.submitted_at IS NULL"
    ),
    # (milestone, award, the winner's e-mail): milestones not yet reported, listings in 攻关
    "open_milestones": (
        "SELECT m.id, aw.id, (SELECT min(u.email) FROM users u"
        " WHERE u.organisation_id = a.organisation_id AND u.role = 'vendor_member' AND u.active)"
        " FROM milestones m JOIN applications a ON a.id = m.application_id"
        " JOIN awards aw ON aw.application_id = a.id JOIN listings l ON l.id = a.listing_id"
        " WHERE l.stage = 'in_delivery' AND m.delivered_at IS NULL AND m.confirmed_at IS NULL"
    ),
}

# kind of write → SQL returning which of the acknowledged keys (a list parameter) exist.
WRITE_CHECKS = {
    "organisations": "SELECT credit_code FROM organisations WHERE credit_code = ANY(%s)",
    "needs": "SELECT title FROM needs WHERE title = ANY(%s)",
    "approvals": "SELECT id::text FROM needs WHERE status = 'published' AND id::text = ANY(%s)",
    "nda": (
        "SELECT a.need_id || ':' || u.email FROM need_nda_acceptances a"
        " JOIN users u ON u.organisation_id = a.organisation_id"
        " WHERE a.need_id || ':' || u.email = ANY(%s)"
    ),
    "follows": (
        "SELECT f.need_id || ':' || u.email FROM need_follows f JOIN users u ON u.id = f.user_id"
        " WHERE f.need_id || ':' || u.email = ANY(%s)"
    ),
    "interests": (
        "SELECT i.need_id || ':' || u.email FROM need_interests i"
        " JOIN users u ON u.organisation_id = i.organisation_id"
        " WHERE i.need_id || ':' || u.email = ANY(%s)"
    ),
    "applications": "SELECT id::text FROM applications WHERE id::text = ANY(%s)",
    "consortium invitations": (
        "SELECT application_id::text FROM consortium_members WHERE application_id::text = ANY(%s)"
    ),
    "consortium confirmations": (
        "SELECT application_id::text FROM consortium_members"
        " WHERE status = 'confirmed' AND application_id::text = ANY(%s)"
    ),
    "submissions": (
        "SELECT id::text FROM applications WHERE submitted_at IS NOT NULL AND id::text = ANY(%s)"
    ),
    "withdrawals": (
        "SELECT id::text FROM applications WHERE status = 'withdrawn' AND id::text = ANY(%s)"
    ),
    # "application:expert e-mail:marker" of the sheet as stored (still a draft)
    "score sheets": (
        "SELECT key FROM (SELECT s.application_id || ':' || u.email || ':'"
        " || substring(s.comments::text from 'lt[0-9]+') AS key FROM score_sheets s"
        " JOIN users u ON u.id = s.expert_id WHERE s.submitted_at IS NULL) sheets"
        " WHERE key = ANY(%s)"
    ),
    "milestones": (
        "SELECT id::text FROM milestones WHERE delivered_at IS NOT NULL AND id::text = ANY(%s)"
    ),
}

# Kinds whose later acknowledged write replaces the earlier one of the same object (key → the
# object): only the last acknowledged key per object must be in the database.
LAST_WINS: dict[str, Callable[[str], str]] = {
    "score sheets": lambda key: key.rsplit(":", 1)[0],
}


def _mail_between(subject: str, events: str) -> str:
    """SQL: which keys of `events` (rows key, org, t, until) have a mail of `subject` to a member
    of `org` written at t or later and before `until` (the same organisation's next event of
    the kind; none: any time after t). Each organisation's events of these kinds are one at a
    time (the load claims it), and the mail is written in the event's own transaction."""
    return (
        f"WITH ev AS ({events}) SELECT ev.key FROM ev WHERE ev.key = ANY(%s) AND EXISTS ("
        "SELECT 1 FROM mail_outbox m JOIN users u ON u.email = m.recipient"
        f" WHERE u.organisation_id = ev.org AND m.subject = '{subject}'"
        " AND m.created_at >= ev.t AND (ev.until IS NULL OR m.created_at < ev.until))"
    )


# kind of write → SQL returning which acknowledged keys have their mail in the outbox (the
# notice's mail to the people it concerns; a notice collapsed into a recent unread one of
# the same kind and subject shares that one's mail). Every outbox row must then have reached
# the test SMTP server exactly once.
MAIL_CHECKS = {
    "organisations": (
        "SELECT o.credit_code FROM organisations o JOIN users u ON u.organisation_id = o.id"
        " JOIN mail_outbox m ON m.recipient = u.email"
        " WHERE o.credit_code = ANY(%s) AND m.subject = '机构注册已提交'"
    ),
    "approvals": (
        "SELECT DISTINCT n.id::text FROM needs n JOIN users u ON u.organisation_id = n.owner_id"
        " JOIN mail_outbox m ON m.recipient = u.email"
        " WHERE n.id::text = ANY(%s) AND m.subject LIKE '%%' || n.title || '%%已通过审核并发布'"
    ),
    "nda": (
        "SELECT a.need_id || ':' || u.email FROM need_nda_acceptances a"
        " JOIN needs n ON n.id = a.need_id JOIN users u ON u.organisation_id = a.organisation_id"
        " JOIN users owner ON owner.organisation_id = n.owner_id"
        " JOIN mail_outbox m ON m.recipient = owner.email"
        " WHERE a.need_id || ':' || u.email = ANY(%s) AND m.subject LIKE '%%' || n.title || '%%保密承诺'"
    ),
    "interests": (
        "SELECT i.need_id || ':' || u.email FROM need_interests i"
        " JOIN needs n ON n.id = i.need_id JOIN users u ON u.organisation_id = i.organisation_id"
        " JOIN users owner ON owner.organisation_id = n.owner_id"
        " JOIN mail_outbox m ON m.recipient = owner.email"
        " WHERE i.need_id || ':' || u.email = ANY(%s) AND m.subject LIKE '%%' || n.title || '%%意向响应'"
    ),
    # the member's organisation is invited (between the draft's start and its answer)
    "consortium invitations": _mail_between(
        "联合体揭榜邀请",
        "SELECT cm.application_id::text AS key, cm.organisation_id AS org, a.created_at AS t,"
        " coalesce(cm.responded_at, lead(a.created_at) OVER (PARTITION BY cm.organisation_id"
        " ORDER BY cm.id)) AS until"
        " FROM consortium_members cm JOIN applications a ON a.id = cm.application_id",
    ),
    # the lead is told of the member's answer, and of its own submission
    "consortium confirmations": _mail_between(
        "联合体成员已回复",
        "SELECT cm.application_id::text AS key, a.organisation_id AS org, cm.responded_at AS t,"
        " lead(cm.responded_at) OVER (PARTITION BY a.organisation_id ORDER BY cm.responded_at)"
        " AS until FROM consortium_members cm JOIN applications a ON a.id = cm.application_id"
        " WHERE cm.responded_at IS NOT NULL",
    ),
    "submissions": _mail_between(
        "揭榜申请已提交",
        "SELECT id::text AS key, organisation_id AS org, submitted_at AS t,"
        " lead(submitted_at) OVER (PARTITION BY organisation_id ORDER BY submitted_at) AS until"
        " FROM applications WHERE submitted_at IS NOT NULL",
    ),
    # the listing's factory: the notice links to the milestone
    "milestones": (
        "SELECT m.id::text FROM milestones m JOIN mail_outbox o"
        " ON o.subject = '里程碑待确认' AND o.body LIKE '%%#milestone-' || m.id::text"
        " WHERE m.id::text = ANY(%s)"
    ),
}


STAGED_ROUND = "压测批次：评审与攻关"
STAGED_MILESTONES = 60  # extra milestones of each awarded application, to report one by one


def stage_competitions() -> None:
    """In an app context, after `flask demo load`: what the competition actions need beyond
    the demo (whose listing under review is fully scored and whose listing in 攻关 has two
    milestones left). One more round, opened 50 days ago and closed 20 days ago, through the
    demo's own services at frozen past moments: a listing under review with the first four
    demo vendors' applications eligible and the five demo experts assigned, no sheet saved;
    and two listings in 攻关, each awarded to a different vendor whose application has
    `STAGED_MILESTONES` more milestones ahead. Idempotent: a second call does nothing."""
    from datetime import timedelta
    from decimal import Decimal

    from sqlalchemy import select

    from matchmaker import clock
    from matchmaker.accounts import services as accounts
    from matchmaker.competitions import applications, panel, rounds, stageflow
    from matchmaker.competitions.applications import MilestoneData
    from matchmaker.competitions.models import Round
    from matchmaker.demo import rounds as demo
    from matchmaker.demo.accounts import EMAIL_DOMAIN
    from matchmaker.demo.timeline import days_ago
    from matchmaker.extensions import db

    if db.session.scalar(select(Round.id).where(Round.name == STAGED_ROUND)) is not None:
        return
    organiser = accounts.find_user_by_email(Context.organiser)
    experts = [accounts.find_user_by_email(f"expert{i}@{EMAIL_DOMAIN}") for i in range(1, 6)]
    teams = demo._teams()
    needs = [n for n in rounds.publishable_needs() if n.confidentiality == "public"]
    opens = days_ago(50)
    with clock.frozen(opens - timedelta(days=5)):
        round_ = rounds.open_round(
            organiser,
            rounds.RoundData(
                name=STAGED_ROUND,
                opens_at=opens,
                closes_at=opens + demo.WINDOW,
                rules="压测用批次。",
                publicity_days=7,
                quota=1,
                voucher_share=Decimal("0.3"),
                voucher_cap=Decimal("50"),
            ),
        )
        listings = [
            rounds.add_listing(
                organiser,
                round_,
                rounds.ListingData(
                    title=f"压测揭榜：{need.title}",
                    need_ids=[need.id],
                    description=need.goal,
                    reward=Decimal(20),
                    budget=Decimal(need.budget_max or 80),
                    consortium_allowed=True,
                ),
            )
            for need in needs[:3]
        ]
    closes = round_.closes_at
    under_review, *delivered = listings
    with clock.frozen(opens + timedelta(hours=1)):
        stageflow.act(organiser, under_review, "open_applications")
        for rank, (user, offering) in enumerate(teams):
            data = demo._data(under_review, closes, "under_review", rank)
            app = applications.start_application(user, under_review, offering, data)
            applications.submit_application(user, app)
    with clock.frozen(closes + timedelta(hours=1)):
        for expert in experts:
            panel.assign_expert(organiser, under_review, expert)
        stageflow.act(organiser, under_review, "close_applications")
        for app in applications.applications_of(under_review):
            applications.decide_eligibility(organiser, app, True)

    plain = demo._data

    def many_milestones(listing, base, target, rank):
        data = plain(listing, base, target, rank)
        last = data.milestones[-1].due_date
        data.milestones += [
            MilestoneData(f"压测里程碑 {i}", last + timedelta(days=i), "压测报告")
            for i in range(1, STAGED_MILESTONES + 1)
        ]
        return data

    demo._data = many_milestones
    try:
        # two more vendors, the first of each pair wins: a different winner each
        for pair, listing in zip(
            ([teams[2], teams[3]], [teams[3], teams[2]]), delivered, strict=True
        ):
            demo._drive(organiser, listing, "in_delivery", pair, experts)
    finally:
        demo._data = plain
