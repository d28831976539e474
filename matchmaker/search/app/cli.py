"""`flask search …` commands: the Flask-facing edge of the search package.

The command implementations live in their own modules; this module only owns the group.
"""

from __future__ import annotations

from flask.cli import AppGroup

from .calibrate_command import calibrate_command
from .eval_command import eval_command
from .judgments_command import judgments_cli
from .model_cli import model_cli
from .rebuild_command import rebuild_command

search_cli = AppGroup("search", help="Matching engine: model, index, evaluation.")
search_cli.add_command(model_cli)
search_cli.add_command(eval_command)
search_cli.add_command(rebuild_command)
search_cli.add_command(judgments_cli)
search_cli.add_command(calibrate_command)
