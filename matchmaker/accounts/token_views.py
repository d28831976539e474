"""The "API 令牌" page: a user creates personal access tokens for the JSON API (the secret
is shown once, on the response to the creation) and revokes them."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import ValidationFailed
from ..formtools import apply_errors
from . import tokens
from .blueprint import bp
from .forms import ApiTokenForm, ConfirmForm


def _page(form: ApiTokenForm, secret: str | None = None, status: int = 200):
    page = render_template(
        "accounts/tokens.html",
        form=form,
        revoke_form=ConfirmForm(),
        tokens=tokens.tokens_of(current_user),
        secret=secret,
        now=tokens.clock.now(),
    )
    response = make_response(page, status)
    # The new secret must not stay in a browser or proxy cache (back button, shared machine).
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


@bp.get("/account/tokens")
@login_required
def api_tokens():
    return _page(ApiTokenForm())


@bp.post("/account/tokens")
@login_required
def create_api_token():
    form = ApiTokenForm()
    if form.validate_on_submit():
        try:
            _token, secret = tokens.create_token(
                current_user, form.name.data, int(form.expires_in_days.data)
            )
        except ValidationFailed as err:
            apply_errors(form, err)
        else:
            # The secret is in this response only; reloading the page does not show it again.
            return _page(ApiTokenForm(formdata=None), secret=secret, status=201)
    return _page(form, status=422)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_api_token(token_id: int):
    if ConfirmForm().validate_on_submit():
        tokens.revoke_token(current_user, token_id)
        flash(_("令牌已撤销。"), "success")
    return redirect(url_for("accounts.api_tokens"))
