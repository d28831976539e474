"""The navigation: packages register links; `templates/_nav.html` shows the visible ones.

    from matchmaker.nav import add_nav_link
    add_nav_link("needs.hall", _l("揭榜大厅"), order=10, icon="layout-grid")
    add_nav_link("dashboard.index", _l("工作台"), visible=lambda user: user.is_organiser,
                 order=90, section="console", icon="layout-dashboard")

`visible` receives `current_user` (the anonymous user answers False to every predicate).
Links are keyed by endpoint, so registering twice replaces rather than duplicates.

Sections: "main" links sit in the header bar (the collapsing menu on phones); "console" links
are the organiser's back office, gathered under one 管理后台 menu in the header and listed as
the side navigation of console pages (`nav_links(user, "console")`); "account" links sit
beside the account menu (消息). `icon` names a symbol of the vendored Tabler icon sprite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask


@dataclass(frozen=True)
class NavLink:
    endpoint: str
    label: Any  # a lazy string, rendered in the request's language
    visible: Callable[[Any], bool]
    order: int = 100
    section: str = "main"
    icon: str = ""


_LINKS: dict[str, NavLink] = {}


def _always(user: Any) -> bool:
    return True


SECTIONS = ("main", "console", "account")


def add_nav_link(
    endpoint: str,
    label: Any,
    visible: Callable[[Any], bool] = _always,
    order: int = 100,
    section: str = "main",
    icon: str = "",
) -> None:
    if section not in SECTIONS:
        raise ValueError(f"unknown navigation section {section!r}")
    _LINKS[endpoint] = NavLink(endpoint, label, visible, order, section, icon)


def nav_links(user: Any, section: str = "main") -> list[NavLink]:
    links = (link for link in _LINKS.values() if link.section == section and link.visible(user))
    return sorted(links, key=lambda link: (link.order, link.endpoint))


def init_app(app: Flask) -> None:
    app.jinja_env.globals["nav_links"] = nav_links
