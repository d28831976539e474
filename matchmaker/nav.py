"""The header navigation: packages register links; `templates/_nav.html` shows the visible ones.

    from matchmaker.nav import add_nav_link
    add_nav_link("needs.index", _l("需求榜单"), order=10)
    add_nav_link("dashboard.index", _l("工作台"), visible=lambda user: user.is_organiser, order=90)

`visible` receives `current_user` (the anonymous user answers False to every predicate).
Links are keyed by endpoint, so registering twice replaces rather than duplicates.
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


_LINKS: dict[str, NavLink] = {}


def _always(user: Any) -> bool:
    return True


def add_nav_link(
    endpoint: str, label: Any, visible: Callable[[Any], bool] = _always, order: int = 100
) -> None:
    _LINKS[endpoint] = NavLink(endpoint, label, visible, order)


def nav_links(user: Any) -> list[NavLink]:
    links = (link for link in _LINKS.values() if link.visible(user))
    return sorted(links, key=lambda link: (link.order, link.endpoint))


def init_app(app: Flask) -> None:
    app.jinja_env.globals["nav_links"] = nav_links
