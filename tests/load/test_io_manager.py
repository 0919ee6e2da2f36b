"""Step outputs survive the trip to disk between Dagster steps unchanged, their frames as Arrow."""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from assets.io_manager import arrow_safe, dump, load


@dataclass
class Bundle:
    frame: pd.DataFrame
    mixed: pd.DataFrame
    names: pd.Series
    by_name: dict = field(default_factory=dict)


def _typed(n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "text": pd.array([f"업체{i}" if i % 3 else None for i in range(n)], dtype="str"),
        "count": pd.array([i if i % 4 else None for i in range(n)], dtype="Int64"),
        "value": np.where(np.arange(n) % 5, np.arange(n) * 1.5, np.nan),
        "flag": pd.array([True, None, False] * (n // 3) + [True] * (n % 3), dtype="boolean"),
        "day": pd.to_datetime(["2024-12-31", None] * (n // 2) + ["2020-01-01"] * (n % 2)).astype("datetime64[ns]"),
        "year": np.full(n, 2024, dtype="int64"),
        "section_ko": pd.Categorical([None, "제조업", "도매 및 소매업"] * (n // 3) + ["제조업"] * (n % 3)),
    })


def test_a_bundle_of_frames_comes_back_equal_with_its_frames_stored_as_arrow(tmp_path):
    frame = _typed(1001)
    mixed = pd.DataFrame({"raw_value": ["a", 1, None]}, dtype=object)  # object: pickled as it is
    bundle = Bundle(frame, mixed, pd.Series(["x", None], dtype="str"), {"empty": frame.iloc[:0], "again": frame})
    dump(bundle, tmp_path / "2024")
    back = load(tmp_path / "2024")
    pd.testing.assert_frame_equal(back.frame, frame)
    pd.testing.assert_frame_equal(back.mixed, mixed)
    pd.testing.assert_series_equal(back.names, bundle.names)
    pd.testing.assert_frame_equal(back.by_name["again"], frame)
    assert list(back.by_name["empty"].dtypes) == list(frame.dtypes)
    assert len(list((tmp_path / "2024.frames").glob("*.arrow"))) == 1  # frame (twice in the bundle), not mixed


def test_only_frames_whose_types_survive_arrow_leave_the_pickle():
    assert arrow_safe(_typed(3))
    assert not arrow_safe(pd.DataFrame({"a": [1, "b"]}, dtype=object))
    assert not arrow_safe(_typed(3).set_index("year"))
    assert not arrow_safe(pd.DataFrame({0: [1]}))
    assert not arrow_safe(pd.DataFrame({"band": pd.Categorical([1, 2, 1])}))  # categories that are not text


def test_writing_again_replaces_the_stored_frames(tmp_path):
    dump({"f": _typed(10), "g": _typed(10)}, tmp_path / "out")
    dump({"f": _typed(4)}, tmp_path / "out")
    assert len(load(tmp_path / "out")["f"]) == 4
    assert len(list((tmp_path / "out.frames").glob("*.arrow"))) == 1
