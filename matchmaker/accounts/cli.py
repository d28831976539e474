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
