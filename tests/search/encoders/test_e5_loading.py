"""Settings, a missing or corrupt model, and `flask search model build`."""

from __future__ import annotations

import json
import shutil

import pytest

from matchmaker import create_app
from matchmaker.config import TestConfig
from matchmaker.search.core.encoders.base import EncoderSettings, ModelUnavailable
from matchmaker.search.core.encoders.build import BUILD_INFO, is_current, read_build_info
from matchmaker.search.core.encoders.sentence import load_encoder


def test_settings_from_app_config(tmp_path):
    settings = EncoderSettings.from_config(
        {"SEARCH_MODEL": None, "SEARCH_QUANTIZE": " INT8 ", "SEARCH_THREADS": 2}, str(tmp_path)
    )
    assert settings.model == "multilingual-e5-small" and settings.quantize == "int8"
    assert settings.model_dir == str(tmp_path / "models" / "multilingual-e5-small")
    assert settings.threads == 2
    chosen = EncoderSettings.from_config({"SEARCH_MODEL_DIR": "/m", "SEARCH_THREADS": 0}, "/i")
    assert chosen.model_dir == "/m" and chosen.threads is None and chosen.quantize == "auto"
    with pytest.raises(ValueError, match="quantize"):
        EncoderSettings(quantize="int4")


def test_missing_model_says_what_to_run_and_the_app_still_starts(tmp_path):
    app = create_app(TestConfig)
    app.config["SEARCH_MODEL_DIR"] = str(tmp_path / "nowhere")
    assert app.test_client().get("/lang/xx").status_code == 404  # the app serves requests
    settings = EncoderSettings.from_config(app.config, app.instance_path)
    with pytest.raises(ModelUnavailable, match="Run: flask search model build"):
        load_encoder(settings)


def test_corrupt_model_says_what_to_run(tmp_path, built_model_dir):
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("config.json", "modules.json", "sentence_bert_config.json", BUILD_INFO):
        shutil.copy(built_model_dir / name, broken / name)
    (broken / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ModelUnavailable, match="unreadable. Run: flask search model build"):
        load_encoder(EncoderSettings(model_dir=str(broken)))
    assert not is_current(broken, read_build_info(broken)["source_sha256"])


def test_unknown_model_name_is_unavailable_offline():
    with pytest.raises(ModelUnavailable, match="flask search model build"):
        load_encoder(EncoderSettings(model="no-such-org/no-such-model-xyz"))


def test_build_is_current_only_with_same_source_and_intact_files(built_model_dir):
    sha = read_build_info(built_model_dir)["source_sha256"]
    assert is_current(built_model_dir, sha)
    assert not is_current(built_model_dir, "0" * 64)


def test_build_command_skips_an_up_to_date_model(built_model_dir):
    app = create_app(TestConfig)
    app.config["SEARCH_MODEL_DIR"] = str(built_model_dir)
    before = (built_model_dir / BUILD_INFO).read_text()
    result = app.test_cli_runner().invoke(args=["search", "model", "build"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output and "SEARCH_QUANTIZE=auto uses" in result.output
    assert (built_model_dir / BUILD_INFO).read_text() == before


def test_build_command_rejects_a_file_that_is_not_a_model(tmp_path):
    app = create_app(TestConfig)
    app.config["SEARCH_MODEL_DIR"] = str(tmp_path / "model")
    bogus = tmp_path / "bogus.bin"
    bogus.write_bytes(b"GGUF" + b"\0" * 64)
    result = app.test_cli_runner().invoke(args=["search", "model", "build", "--source", str(bogus)])
    assert result.exit_code != 0 and "bad magic" in result.output
    assert not (tmp_path / "model").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".model")]


def test_build_info_records_the_int8_decision(built_model_dir):
    info = json.loads((built_model_dir / BUILD_INFO).read_text())
    int8 = info["int8"]
    assert int8["auto_uses_int8"] == (int8["min_cosine"] >= int8["threshold"] == 0.98)
    assert info["query_prefix"] == "query: " and info["document_prefix"] == "passage: "
