"""`flask search judgments export FILE`: users' 不相关 / 已联系 judgments as a judged set.

The file has the format `flask search eval` reads, so the live platform can be measured:

    flask --app wsgi search judgments export judged.json
    flask --app wsgi search eval judged.json --templates tests/data/dev_templates.json

It also says whether there are enough judgments to refit the fusion weights and the
calibration from them (thresholds in `judgments.py`, reasons in the README).
"""

from __future__ import annotations

import json
import os
import tempfile

import click
from flask.cli import AppGroup

from ..store import judgments

judgments_cli = AppGroup("judgments", help="Users' judgments of recommendations.")


@judgments_cli.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def export_command(file):
    """Write every judgment to FILE in the eval format (replaced atomically)."""
    found = judgments.export()
    folder = os.path.dirname(os.path.abspath(file))
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=folder, suffix=".tmp", delete=False
    ) as out:
        json.dump(found.data, out, ensure_ascii=False, indent=1)
    os.replace(out.name, file)
    click.echo(
        f"{found.judgments} judgments: {found.contacted} contacted pairs, "
        f"{found.irrelevant} irrelevant pairs, {len(found.data['needs'])} needs "
        f"({found.needs_with_contact} with a contacted pair), "
        f"{len(found.data['offerings'])} offerings -> {file}"
    )
    click.echo(
        f"refit weights: {'enough' if found.enough_for_weights else 'not yet'} "
        f"({found.needs_with_contact} / {judgments.REFIT_WEIGHTS_NEEDS} needs with a contacted "
        f"pair); refit calibration: {'enough' if found.enough_for_calibration else 'not yet'} "
        f"({min(found.contacted, found.irrelevant)} / {judgments.REFIT_CALIBRATION_PAIRS} pairs "
        "of each verdict)"
    )
