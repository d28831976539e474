"""`flask taxonomy load|stats`."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from .loader import load_taxonomy
from .services import taxonomy_stats

taxonomy_cli = AppGroup(
    "taxonomy", help="The scenario taxonomy: industries, categories, templates."
)


@taxonomy_cli.command("load")
@click.option(
    "--update", is_flag=True, help="Refresh shipped fields of entries that already exist."
)
def load_command(update: bool) -> None:
    """Load the shipped taxonomy (idempotent: existing entries are kept as curated)."""
    result = load_taxonomy(update=update)
    click.echo(f"created {result.created}, updated {result.updated}; now {taxonomy_stats()}")


@taxonomy_cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def stats_command(as_json: bool) -> None:
    """Live counts of active industries, categories and scenario templates."""
    stats = taxonomy_stats()
    if as_json:
        click.echo(json.dumps(stats))
    else:
        for key, value in stats.items():
            click.echo(f"{key}: {value}")
