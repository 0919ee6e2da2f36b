"""The shipped sample staged as `census run` stages it, with the truth's firm id on every row
(the key the lead's firm_id stands for), shared by the growth, cluster and 애로사항 tests."""

from __future__ import annotations

import pandas as pd
import pytest

from census_sample import sample_truth
from pipeline.settings import PACKAGE_ROOT, load_settings

RAW = PACKAGE_ROOT / "data" / "raw"
CONFIG = PACKAGE_ROOT / "config"


@pytest.fixture(scope="session")
def truth() -> dict[str, pd.DataFrame]:
    return sample_truth()


@pytest.fixture(scope="session")
def staged(truth) -> pd.DataFrame:
    from pipeline.load import stage_year_file

    settings = load_settings()
    frames = [stage_year_file(p, y, settings).frame for y, p in sorted(settings.raw_files().items())]
    fy = pd.concat(frames, ignore_index=True)
    rec = truth["records"][["census_year", "source_row", "true_firm_id", "defect"]]
    fy = fy.merge(rec, on=["census_year", "source_row"], how="left", validate="one_to_one")
    return fy[fy["defect"].ne("duplicate_row")].reset_index(drop=True)
