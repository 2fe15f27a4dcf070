import pytest

from tests.media.factories import make_media_scene


@pytest.fixture
def media(mission, core_member):
    return make_media_scene(mission, core_member)
