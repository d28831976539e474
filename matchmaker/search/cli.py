"""`flask search …` commands: the Flask-facing edge of the search package.

The command implementations live beside the parts they drive; this module only owns the group.
"""

from __future__ import annotations

from flask.cli import AppGroup

from .model_cli import model_cli

search_cli = AppGroup("search", help="Matching engine: model, index, evaluation.")
search_cli.add_command(model_cli)
