"""`load_encoder(config)`: the product's encoder from the app's plain SEARCH_* settings.

`matchmaker.search.runtime.get_encoder` imports this module and caches what it returns once
per process. `INSTANCE_PATH` (set by create_app) locates the built model when
SEARCH_MODEL_DIR is not given.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import EncoderSettings
from .sentence import SentenceTransformerEncoder
from .sentence import load_encoder as load_from_settings


def load_encoder(config: Mapping[str, Any]) -> SentenceTransformerEncoder:
    settings = EncoderSettings.from_config(config, config.get("INSTANCE_PATH") or "instance")
    return load_from_settings(settings)
