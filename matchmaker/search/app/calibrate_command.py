"""`flask search calibrate [FILE...] [--templates T] [--out PATH] [--json]`.

Fits the match calibration (logistic regression over raw and normalised component scores,
`confidence.py`) on the judged sets with the configured encoder and writes it, with the
encoder's fingerprint and the held-out report, to `matchmaker/search/core/calibration.json`
(or --out). Run it whenever the encoder or the judged sets change: with another encoder
the stored calibration falls back to its lexical-only model and logs a warning.
"""

from __future__ import annotations

import json

import click
from flask import current_app

from ..core import confidence
from ..core.calibrate import fit_calibration, load_sets
from ..core.runtime import get_encoder
from .eval_command import load_templates

DEFAULT_SETS = (
    "tests/data/devset.json",
    "tests/data/devset_hard.json",
    "tests/data/devset_plant.json",
)


@click.command("calibrate")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--templates", "templates_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", default=confidence.DEFAULT_PATH, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the held-out report as JSON.")
def calibrate_command(files, templates_file, out, as_json):
    """Fit the calibrated match probability on judged sets FILE... (default: tests/data)."""
    from ..core.encoders.base import ModelUnavailable

    try:
        encoder = get_encoder(current_app.config)
    except ModelUnavailable as exc:
        click.echo(f"encoder unavailable: {exc}", err=True)
        raise SystemExit(2) from exc
    sets = load_sets(files or DEFAULT_SETS)
    calibration = fit_calibration(
        sets, encoder, load_templates(templates_file), progress=click.echo
    )
    calibration.save(out)
    confidence.clear_cache()
    report = calibration.report
    for mode, halves in report["halves"].items():
        for tag, half in halves.items():
            rel = " ".join(
                f"{code} {r['share']}({r['pairs']})" for code, r in half["reliability"].items()
            )
            click.echo(f"{mode:<8} {tag}: AUC {half['auc']}; share relevant per band: {rel}")
    click.echo(f"nonsense (max probability per set): {json.dumps(report['nonsense'])}")
    click.echo(f"written {out} for encoder {calibration.encoder}")
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, sort_keys=True))
