"""The report-speed tests build reports on the richer sample of tests/report_contents (400
classified firms a year, two years, supplier tiers, small areas) and on the plain output sample."""

from __future__ import annotations

import pytest

import tests.outputs.conftest as sample
from pipeline.reports.fonts import subset_file_base64
from tests.report_contents.conftest import rich_db_template  # noqa: F401  (session fixture reused)


@pytest.fixture(scope="module")
def speed_fixed_stamps():
    """The font-subset date is now by default; fixed here (fontTools honours SOURCE_DATE_EPOCH)
    so the same font subset gives the same bytes and the golden file can hold its fingerprint.
    The charts and the map are drawn by hand and are the same bytes for the same table."""
    subset_file_base64.cache_clear()  # subsets made earlier in the session carry another date
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1767225600")
        yield
    subset_file_base64.cache_clear()


@pytest.fixture(scope="module")
def speed_rich_settings(tmp_path_factory, rich_db_template):  # noqa: F811
    return sample._sample_settings(tmp_path_factory.mktemp("speed_rich"), rich_db_template)


@pytest.fixture(scope="module")
def speed_plain_settings(tmp_path_factory):
    settings = sample.template_settings(tmp_path_factory.mktemp("speed_plain_template"))
    sample.make_census_db(settings)
    return sample._sample_settings(tmp_path_factory.mktemp("speed_plain"), settings.duckdb_path)
