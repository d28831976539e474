"""Public taxonomy pages (industries → categories → templates) and organiser curation."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from ..auth import organiser_required
from ..errors import DomainError
from ..extensions import db
from ..formtools import apply_errors, choices, render_form_page
from ..i18n import current_locale
from ..nav import add_nav_link
from ..numbers import int_arg
from . import audit_log, services
from .forms import GroupForm, MergeForm, MoveForm, NoteForm, TemplateForm, format_kpis
from .models import Industry, ScenarioCategory, ScenarioTemplate

bp = Blueprint("scenarios", __name__)

add_nav_link("scenarios.browse", _l("场景库"), order=20, icon="bulb")
add_nav_link(
    "scenarios.curate",
    _l("场景库管理"),
    visible=lambda user: user.is_organiser,
    order=800,
    section="console",
    icon="database",
)


def _ordered(model):
    return db.session.scalars(select(model).order_by(model.position, model.code)).all()


@bp.get("/scenarios/")
def browse():
    templates = services.active_templates()
    counts = services.open_need_counts()
    by_category: dict[int, list] = {}
    for template in templates:
        by_category.setdefault(template.category_id, []).append(template)
    return render_template(
        "scenarios/browse.html",
        industries=_ordered(Industry),
        categories=_ordered(ScenarioCategory),
        by_category=by_category,
        counts=counts,
        templates=templates,
        locale=current_locale(),
    )


def _group_page(model, code: str, key: str):
    """The templates of one industry or one category (`key` is the active_templates filter)."""
    item = db.first_or_404(select(model).where(model.code == code))
    return render_template(
        "scenarios/list.html",
        heading=item,
        templates=services.active_templates(**{key: item.id}),
        counts=services.open_need_counts(),
        locale=current_locale(),
    )


@bp.get("/scenarios/industry/<code>")
def industry(code: str):
    return _group_page(Industry, code, "industry_id")


@bp.get("/scenarios/category/<code>")
def category(code: str):
    return _group_page(ScenarioCategory, code, "category_id")


@bp.get("/scenarios/<code>")
def template(code: str):
    item = db.first_or_404(select(ScenarioTemplate).where(ScenarioTemplate.code == code))
    return render_template(
        "scenarios/template.html",
        template=item,
        locale=current_locale(),
        open_needs=services.open_need_counts().get(item.id, 0),
    )


# --- curation (organisers) -------------------------------------------------------------


@bp.get("/console/taxonomy/")
@organiser_required
def curate():
    templates = db.session.scalars(
        select(ScenarioTemplate).order_by(
            ScenarioTemplate.category_id, ScenarioTemplate.position, ScenarioTemplate.code
        )
    ).all()
    return render_template(
        "scenarios/curate.html",
        industries=_ordered(Industry),
        categories=_ordered(ScenarioCategory),
        templates=templates,
        move_form=MoveForm(),
        locale=current_locale(),
    )


def _template_form(obj=None) -> TemplateForm:
    form = TemplateForm(obj=obj)
    loc = current_locale()
    form.industry_id.choices = choices((i.id, i.label("name", loc)) for i in _ordered(Industry))
    form.category_id.choices = choices(
        (c.id, c.label("name", loc)) for c in _ordered(ScenarioCategory)
    )
    if obj is not None and not isinstance(form.kpis.data, str):
        # The stored list, when the request did not post the field (a GET, or a POST without it).
        form.kpis.data = format_kpis(obj.kpis)
    return form


def _apply(form, action, success: str, redirect_to: str, template_name: str, **context):
    """Validate `form`, run `action()`; on failure re-render with the input kept (422)."""
    if form.validate_on_submit():
        try:
            action()
        except DomainError as err:
            db.session.rollback()
            apply_errors(form, err)
        else:
            flash(success, "success")
            return redirect(redirect_to)
    return render_form_page(template_name, form, **context)


@bp.route("/console/taxonomy/templates/new", methods=["GET", "POST"])
@organiser_required
def new_template():
    form = _template_form()
    return _apply(
        form,
        lambda: services.create_template(current_user, form.template_fields()),
        _("场景已创建。"),
        url_for("scenarios.curate"),
        "scenarios/template_form.html",
        item=None,
    )


@bp.route("/console/taxonomy/templates/<int:template_id>/edit", methods=["GET", "POST"])
@organiser_required
def edit_template(template_id: int):
    item = db.get_or_404(ScenarioTemplate, template_id)
    form = _template_form(item)
    form.code.render_kw = {"readonly": True}
    form.code.data = item.code

    def action():
        fields = form.template_fields()
        fields.pop("code")
        services.update_template(current_user, item, fields)

    return _apply(
        form,
        action,
        _("场景已保存。"),
        url_for("scenarios.curate"),
        "scenarios/template_form.html",
        item=item,
    )


@bp.post("/console/taxonomy/templates/<int:template_id>/<any(retire, restore):action>")
@organiser_required
def change_status(template_id: int, action: str):
    item = db.get_or_404(ScenarioTemplate, template_id)
    form = NoteForm()
    if form.validate_on_submit():
        if action == "retire":
            services.retire_template(current_user, item, form.note.data or "")
            flash(_("场景已停用。"), "success")
        else:
            services.restore_template(current_user, item)
            flash(_("场景已恢复。"), "success")
    return redirect(url_for("scenarios.curate"))


@bp.post("/console/taxonomy/<any(industry, category, template):entity>/<int:obj_id>/move")
@organiser_required
def move(entity: str, obj_id: int):
    model = {"industry": Industry, "category": ScenarioCategory, "template": ScenarioTemplate}[
        entity
    ]
    form = MoveForm()
    if form.validate_on_submit() and form.direction.data in ("-1", "1"):
        services.move(current_user, db.get_or_404(model, obj_id), int(form.direction.data))
    return redirect(url_for("scenarios.curate"))


@bp.route("/console/taxonomy/merge", methods=["GET", "POST"])
@organiser_required
def merge():
    form = MergeForm()
    options = choices(
        (t.id, f"{t.code} {t.label('title', current_locale())}")
        for t in services.active_templates()
    )
    form.source_id.choices = options
    form.target_id.choices = options

    def action():
        source = db.get_or_404(ScenarioTemplate, form.source_id.data)
        target = db.get_or_404(ScenarioTemplate, form.target_id.data)
        services.merge_templates(current_user, source, target, form.note.data or "")

    return _apply(
        form,
        action,
        _("场景已合并，引用已转移。"),
        url_for("scenarios.curate"),
        "scenarios/merge.html",
    )


@bp.route(
    "/console/taxonomy/<any(industry, category):entity>/<int:obj_id>/edit", methods=["GET", "POST"]
)
@organiser_required
def edit_group(entity: str, obj_id: int):
    item = db.get_or_404(Industry if entity == "industry" else ScenarioCategory, obj_id)
    form = GroupForm(obj=item)
    if entity == "industry":
        del form.description_zh, form.description_en

    def action():
        services.update_group(
            current_user, item, {k: f.data for k, f in form._fields.items() if k != "csrf_token"}
        )

    return _apply(
        form,
        action,
        _("已保存。"),
        url_for("scenarios.curate"),
        "scenarios/group_form.html",
        item=item,
        entity=entity,
    )


@bp.get("/console/taxonomy/audit")
@organiser_required
def audit():
    filters = audit_log.Filters.from_args(request.args)
    return render_template(
        "scenarios/audit.html",
        page=audit_log.page(filters, int_arg(request.args, "page") or 1),
        filters=filters,
        choices=audit_log.filter_choices(),
    )
