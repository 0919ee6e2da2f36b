import pytest

from tests.validation.helpers import settings_for


@pytest.fixture
def settings(tmp_path):
    """The project's settings with data paths in tmp_path (the KSIC reference stays shared)."""
    return settings_for(tmp_path)
