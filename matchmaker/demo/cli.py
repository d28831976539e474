"""`flask demo load`: idempotent; prints the accounts it creates, with their password, once."""

from __future__ import annotations

import os

import click
from flask.cli import AppGroup

from .accounts import CreatedAccounts, load_people
from .experts import load_expert_pool
from .matchdays import load_matchdays
from .messages import load_messages
from .needs import load_needs
from .notices import load_notices
from .offerings import load_offerings
from .rounds import load_rounds

DEFAULT_PASSWORD = "demo-pass-2025"

demo_cli = AppGroup("demo", help="Demo data: a believable district.")


@demo_cli.command("load")
@click.option(
    "--password",
    default=lambda: os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD),
    show_default=f"$DEMO_PASSWORD or {DEFAULT_PASSWORD}",
    help="Password of every demo account created by this run.",
)
def load_command(password: str) -> None:
    """Create the demo district (organiser, experts, factories, vendors) where missing."""
    created = CreatedAccounts()
    organiser = load_people(password, created)
    load_needs(organiser)
    load_offerings(organiser)
    load_rounds(organiser, password, created)
    load_matchdays(organiser)
    load_expert_pool(organiser)
    load_messages()
    load_notices(organiser)
    if not created.rows:
        click.echo("demo: the demo district is already loaded (nothing created).")
        return
    click.echo(f"demo: created {len(created.rows)} accounts; password for all of them: {password}")
    for role, org, email in created.rows:
        click.echo(f"  {role:<10} {email:<36} {org}")
