"""Row selection for frames of a million rows where only a few rows drop out."""

from __future__ import annotations

import numpy as np
import pandas as pd


def rows_where(frame: pd.DataFrame, keep: np.ndarray | pd.Series) -> pd.DataFrame:
    """frame[keep] with a fresh index. A load drops a few total rows, blank rows or rows in
    error out of a million: the few runs of rows to keep are joined as slices (Arrow-backed text
    is then not copied at all), and when nothing drops out the frame is kept as it is."""
    keep = np.asarray(keep, dtype=bool)
    if keep.all():
        return frame.reset_index(drop=True)
    edges = np.flatnonzero(np.diff(np.concatenate([[False], keep, [False]]).astype(np.int8)))
    runs = list(zip(edges[::2], edges[1::2], strict=True))
    if len(runs) > 64:
        return frame[keep].reset_index(drop=True)
    if not runs:
        return frame.iloc[:0].reset_index(drop=True)
    return pd.concat([frame.iloc[a:b] for a, b in runs], ignore_index=True)
