"""Registers every package's command group on the `flask` CLI."""

from __future__ import annotations

from flask import Flask


def register_cli(app: Flask) -> None:
    from .accounts.cli import users_cli
    from .competitions.cli import rounds_cli
    from .demo.cli import demo_cli
    from .jobs.cli import jobs_cli
    from .scenarios.cli import taxonomy_cli
    from .search.cli import search_cli

    app.cli.add_command(taxonomy_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(rounds_cli)
    app.cli.add_command(jobs_cli)
