from types import SimpleNamespace

import pytest

from matchmaker.scenarios.loader import load_taxonomy

from .mini import MINI


@pytest.fixture
def mini_taxonomy(app_ctx):
    load_taxonomy(MINI)
    return MINI


@pytest.fixture
def organiser():
    return SimpleNamespace(id=None, is_organiser=True)


@pytest.fixture
def outsider():
    return SimpleNamespace(id=None, is_organiser=False)
