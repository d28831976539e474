"""`flask search eval FILE... [--json] [--fit] [--encoder configured|none] [--templates FILE]`.

Ranks every offering of FILE (several files are read as one set) for each of its needs in an isolated in-memory engine (no
database write, the live index untouched) and prints hybrid and per-component metrics.
With `--json` the last line is one JSON object. `--encoder configured` (the default) uses
the configured model and exits with status 2 when it is unavailable; `--encoder none`
measures lexical + taxonomy only (dense is then null). `--fit` fits the fusion weights on
the needs with even ids and reports on the odd ones.
"""

from __future__ import annotations

import json

import click
from flask import current_app

from ..core.documents import Template
from ..core.evalset import evaluate, load_evalsets
from ..core.ranking import DEFAULT_WEIGHTS, FALLBACK_WEIGHTS
from ..core.runtime import get_encoder
from .service import get_sources


@click.command("eval")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Last line: one JSON object.")
@click.option("--fit", is_flag=True, help="Fit weights on even needs, report odd ones.")
@click.option(
    "--encoder",
    "encoder_choice",
    type=click.Choice(["configured", "none"]),
    default="configured",
    show_default=True,
)
@click.option("--templates", "templates_file", type=click.Path(exists=True, dir_okay=False))
def eval_command(files, as_json, fit, encoder_choice, templates_file):
    """Measure matching quality on judged sets FILE... (read as one set)."""
    from ..core.encoders.base import ModelUnavailable

    encoder = None
    if encoder_choice == "configured":
        try:
            encoder = get_encoder(current_app.config)
        except ModelUnavailable as exc:
            click.echo(
                f"encoder unavailable: {exc} (use --encoder none for lexical only)", err=True
            )
            raise SystemExit(2) from exc
    templates = load_templates(templates_file)
    weights = (DEFAULT_WEIGHTS if encoder is not None else FALLBACK_WEIGHTS).as_dict()
    try:
        evalset = load_evalsets(files)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="FILE") from exc
    report = evaluate(evalset, encoder, templates, weights, fit=fit)
    report["encoder"] = encoder.fingerprint if encoder is not None else None
    report["n_templates"] = len(templates)
    _print_table(report)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, sort_keys=True))


def load_templates(path: str | None) -> list[Template]:
    """The scenario templates from a JSON file (a list, or the taxonomy file itself), or the
    app's own when no file is given; `search calibrate` uses it too."""
    if path is None:
        return get_sources().load_templates()
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if isinstance(data, dict):  # the taxonomy file itself (scenarios/data/taxonomy.json)
        return [Template.from_mapping({**t, "title": t.get("title_zh", ""),
                                       "pain_point": t.get("pain_point_zh", ""),
                                       "example": t.get("example_zh", "")})
                for t in data["templates"]]  # fmt: skip
    return [Template.from_mapping(t) for t in data]


def _print_table(report: dict) -> None:
    metrics = ("p@1", "mrr", "recall@5", "recall@10", "ndcg@10")
    click.echo(f"{'ranker':<10}" + "".join(f"{m:>11}" for m in metrics))
    for name in ("hybrid", "hybrid_without_taxonomy", "dense", "lexical", "taxonomy", "profile"):
        if name not in report:
            continue
        row = report[name]
        cells = "".join(f"{row[m]:>11.3f}" for m in metrics) if row else "  (no encoder)"
        click.echo(f"{name.replace('hybrid_without_taxonomy', ' − taxonomy'):<10}{cells}")
    click.echo(
        f"needs {report['n_needs']}, offerings {report['n_offerings']}, "
        f"weights {report['weights']}"
        + (
            f", fitted fallback {report['fallback_weights']}"
            if "fallback_weights" in report
            else ""
        )
    )
