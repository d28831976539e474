"""The load mix of `make loadtest`: weighted actions of one virtual visitor.

Each action is a function `(visitor) -> None` that makes its requests through
`visitor.get` / `visitor.post` (each request is timed and checked against the statuses it
expects) and reports every write the server acknowledged with `visitor.wrote(kind, key)`.
After the run, `WRITE_CHECKS[kind]` (SQL returning the keys present) finds acknowledged
writes missing from the database. Actions pick ids and e-mails from `DEMO_QUERIES` lists
(`visitor.pick(name)`). A feature adds its actions to `ACTIONS` (and, for writes, its check
to `WRITE_CHECKS`):

    Action("apply to round", 5, apply_to_round)    # a vendor logs in and applies
    WRITE_CHECKS["applications"] = "SELECT … FROM applications WHERE … = ANY(%s)"
"""

from __future__ import annotations

import http.client
import itertools
import random
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

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
}

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
}
