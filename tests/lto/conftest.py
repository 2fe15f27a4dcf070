import pytest

from tests.lto.factories import lto_scene


@pytest.fixture
def scene(mission, tree):
    return lto_scene(mission, tree)
