"""SECRET_KEY at start (issue 15, item 8a): a placeholder is refused outside testing/debug;
without one, a random key is generated into the instance folder once (mode 0600) and kept,
the same for every process that starts at once."""

from __future__ import annotations

import multiprocessing
import stat

import pytest

from matchmaker import create_app
from matchmaker.config import (
    DEFAULT_SECRET_KEY,
    SECRET_KEY_FILE,
    InsecureSecretKey,
    instance_secret_key,
)


@pytest.fixture
def instance(tmp_path, monkeypatch):
    monkeypatch.setenv("MATCHMAKER_INSTANCE", str(tmp_path))
    return tmp_path


def production(**values) -> dict:
    # The limiter is a process-wide singleton: keep it off, as the session app has it.
    base = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": False, "DEBUG": False}
    return {**base, "RATELIMIT_ENABLED": False, **values}


def test_a_production_start_refuses_the_built_in_key(instance):
    with pytest.raises(InsecureSecretKey, match="SECRET_KEY"):
        create_app(production(SECRET_KEY=DEFAULT_SECRET_KEY))
    assert not (instance / SECRET_KEY_FILE).exists()


@pytest.mark.parametrize("mode", [{"TESTING": True}, {"DEBUG": True}])
def test_testing_and_debug_may_use_it(instance, mode):
    app = create_app(production(SECRET_KEY=DEFAULT_SECRET_KEY, **mode))
    assert app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY


def test_without_a_key_one_is_generated_once_and_kept(instance):
    first = create_app(production(SECRET_KEY=None))
    key_file = instance / SECRET_KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = first.config["SECRET_KEY"]
    assert len(key) >= 64 and key_file.read_text().strip() == key
    again = create_app(production(SECRET_KEY=""))
    assert again.config["SECRET_KEY"] == key
    assert [p.name for p in instance.iterdir() if "secret" in p.name] == [SECRET_KEY_FILE]


def test_a_key_from_the_environment_wins(instance):
    app = create_app(production(SECRET_KEY="a" * 64))
    assert app.config["SECRET_KEY"] == "a" * 64
    assert not (instance / SECRET_KEY_FILE).exists()


def test_processes_starting_together_agree_on_one_key(tmp_path):
    context = multiprocessing.get_context("fork")
    with context.Pool(4) as pool:
        keys = pool.map(instance_secret_key, [str(tmp_path)] * 8)
    assert len(set(keys)) == 1


def test_a_group_readable_key_file_is_tightened(tmp_path):
    key_file = tmp_path / SECRET_KEY_FILE
    key_file.write_text("b" * 64)
    key_file.chmod(0o644)
    assert instance_secret_key(str(tmp_path)) == "b" * 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
