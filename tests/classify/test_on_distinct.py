"""Classifying each distinct input once must give every row what classifying the row itself gives."""

import numpy as np
import pandas as pd
import pandas.testing as pdt

from pipeline.classify.distinct import on_distinct


def label_columns(inputs: pd.DataFrame) -> pd.DataFrame:
    code = inputs["code"]
    return pd.DataFrame({
        "label": pd.array([None if pd.isna(c) else f"업종 {c} 제조업" for c in code], dtype="str"),
        "division": pd.array([None if pd.isna(c) else c[:2] for c in code], dtype="str"),
        "is_parts": pd.array([None if pd.isna(c) else c.startswith("29") for c in code], dtype="boolean"),
        "weight": [np.nan if pd.isna(c) else float(len(c)) for c in code],
    }, index=inputs.index)


def test_each_row_gets_what_its_own_classification_gives():
    rng = np.random.default_rng(3)
    codes = np.array(["29110", "26121", "2511", None, "C"], dtype=object)
    inputs = pd.DataFrame({"code": pd.array(codes[rng.integers(0, len(codes), 5_000)], dtype="str")},
                          index=pd.RangeIndex(100, 5_100))

    laid = on_distinct(inputs, label_columns)

    pdt.assert_frame_equal(laid, label_columns(inputs))
    assert laid["label"].isna().sum() == inputs["code"].isna().sum() > 0


def test_no_rows_gives_the_columns_and_no_rows():
    empty = pd.DataFrame({"code": pd.array([], dtype="str")})
    laid = on_distinct(empty, label_columns)
    assert list(laid.columns) == ["label", "division", "is_parts", "weight"]
    assert laid.empty


def test_named_text_columns_come_back_as_categoricals_of_the_same_values():
    codes = np.array(["29110", "26121", None, "29110"], dtype=object)
    inputs = pd.DataFrame({"code": pd.array(codes[np.arange(2_000) % 4], dtype="str")})

    laid = on_distinct(inputs, label_columns, categorical=["label"])

    assert isinstance(laid["label"].dtype, pd.CategoricalDtype)
    assert sorted(laid["label"].cat.categories) == ["업종 26121 제조업", "업종 29110 제조업"]
    assert list(laid.columns) == ["label", "division", "is_parts", "weight"]
    plain = label_columns(inputs)
    pdt.assert_series_equal(laid["label"].astype("str"), plain["label"])
    pdt.assert_frame_equal(laid.drop(columns="label"), plain.drop(columns="label"))
