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
from urllib.parse import urlencode

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


@dataclass
class Visitor:
    context: Context
    record: Callable[[Sample], bool]  # False once the request budget is spent
    acknowledge: Callable[[str, str], None]
    action: str = ""
    cookies: dict[str, str] = field(default_factory=dict)

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
    title = f"压测需求{n}"
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


def view_hall(v: Visitor) -> None:
    v.get("/needs/")


def view_need(v: Visitor) -> None:
    v.get(f"/needs/{v.pick('public_need_ids')}")


def view_solutions(v: Visitor) -> None:
    v.get("/solutions/")


def view_offering(v: Visitor) -> None:
    v.get(f"/solutions/{v.pick('offering_ids')}")


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
}

# kind of write → SQL returning which of the acknowledged keys (a list parameter) exist.
WRITE_CHECKS = {
    "organisations": "SELECT credit_code FROM organisations WHERE credit_code = ANY(%s)",
    "needs": "SELECT title FROM needs WHERE title = ANY(%s)",
}
