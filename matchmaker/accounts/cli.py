"""`flask users …`: create organiser and expert accounts from the shell."""

from __future__ import annotations

from collections.abc import Callable

import click
from flask.cli import AppGroup

from ..errors import ValidationFailed
from . import services

users_cli = AppGroup("users", help="Accounts: organisers and experts.")


def _options(func: Callable) -> Callable:
    func = click.option(
        "--password",
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help="Prompted for (hidden) when not given.",
    )(func)
    func = click.option("--name", required=True, help="Display name, e.g. 张三.")(func)
    return click.option("--email", required=True, help="Login e-mail (stored lower-case).")(func)


def _create(create: Callable, email: str, name: str, password: str, what: str) -> None:
    try:
        user = create(email, name, password)
    except ValidationFailed as err:
        problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in err.fields.items())
        raise click.ClickException(problems or err.message) from err
    click.echo(f"Created {what} {user.email} (id {user.id}).")


@users_cli.command("create-organiser")
@_options
def create_organiser(email: str, name: str, password: str) -> None:
    """Create an organiser (主办方) account; creates the organiser organisation if missing."""
    _create(services.create_organiser, email, name, password, "organiser")


@users_cli.command("create-expert")
@_options
def create_expert(email: str, name: str, password: str) -> None:
    """Create an independent expert reviewer account (no organisation)."""
    _create(services.create_expert, email, name, password, "expert")


@users_cli.command("create-token")
@click.option("--email", required=True, help="The user the token acts as.")
@click.option("--name", required=True, help="What the token is for, e.g. 'MES 对接'.")
@click.option(
    "--days",
    type=click.Choice(["0", "30", "90", "365"]),
    default="90",
    show_default=True,
    help="Validity in days (0 = never expires).",
)
def create_api_token(email: str, name: str, days: str) -> None:
    """Create a personal access token for the API and print its secret (shown only once)."""
    from sqlalchemy import func, select

    from ..extensions import db
    from .models import User
    from .tokens import create_token

    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"no user {email}")
    try:
        _token, secret = create_token(user, name, int(days))
    except ValidationFailed as err:
        raise click.ClickException("; ".join(" ".join(m) for m in err.fields.values())) from err
    click.echo(secret)
