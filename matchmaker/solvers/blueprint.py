"""The `solvers` blueprint, its header links, and helpers shared by its view modules."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..i18n import current_locale
from ..nav import add_nav_link
from ..scenarios.models import Industry, ScenarioCategory, ScenarioTemplate
from . import cards, states, vocab
from .forms import SelectChoice
from .models import Offering

bp = Blueprint("solvers", __name__)


@bp.record_once
def _card_globals(state) -> None:
    state.app.add_template_global(cards.offering_cards, "offering_cards")


add_nav_link("solvers.directory", _l("解决方案"), order=30, icon="cpu")
add_nav_link(
    "solvers.my_offerings",
    _l("我的方案"),
    visible=lambda user: user.is_vendor_member,
    order=40,
    icon="briefcase",
)
add_nav_link(
    "solvers.matching_needs",
    _l("适合我的榜单"),
    visible=lambda user: user.is_vendor_member,
    icon="target",
    order=45,
)
add_nav_link(
    "solvers.review_queue",
    _l("方案审核"),
    visible=lambda user: user.is_organiser,
    order=850,
    section="console",
    icon="clipboard-check",
)


def fmt_num(value) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@bp.context_processor
def _vocabulary() -> dict:
    return {
        "vocab": vocab,
        "states": states,
        "fmt_num": fmt_num,
        "locale": current_locale(),
    }


def render_form_page(template: str, form, **context):
    """A submitted form with errors answers 422 (with the user's input kept)."""
    status = 422 if form.is_submitted() and (form.errors or form.form_errors) else 200
    return render_template(template, form=form, **context), status


def visible_offering_or_404(offering_id: int) -> Offering:
    """Published offerings for everyone; others only for their vendor and organisers: 404, not
    403, so that guessing ids reveals nothing."""
    offering = db.get_or_404(Offering, offering_id)
    if not offering.can_view(current_user):
        abort(404)
    return offering


def own_offering_or_404(offering_id: int) -> Offering:
    offering = db.get_or_404(Offering, offering_id)
    if not offering.belongs_to(current_user):
        abort(404)
    return offering


def ordered_active(model) -> list:
    return list(db.session.scalars(select(model).where(model.active).order_by(model.position)))


def taxonomy_choices() -> dict:
    """Choices for the taxonomy pickers, in the request's language (templates by category)."""
    lang = current_locale()
    templates = db.session.scalars(
        select(ScenarioTemplate)
        .where(ScenarioTemplate.status == "active")
        .order_by(ScenarioTemplate.category_id, ScenarioTemplate.code)
    )
    return {
        "categories": [
            SelectChoice(str(c.id), c.label("name", lang)) for c in ordered_active(ScenarioCategory)
        ],
        "industries": [
            SelectChoice(str(i.id), i.label("name", lang)) for i in ordered_active(Industry)
        ],
        "templates": [
            SelectChoice(
                str(t.id),
                f"{t.code} {t.label('title', lang)}",
                optgroup=t.category.label("name", lang),
            )
            for t in templates
        ],
    }
