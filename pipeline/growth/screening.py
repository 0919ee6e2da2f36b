"""Programme screening (config/growth/programmes.yaml): for every firm-year and programme,
eligible / not eligible / cannot tell from the census, with the criteria not met and the ones
the data cannot decide. Conditions the census cannot show (location, 주력산업, SME status) are
the programme's manual_checks, listed for staff on every candidate."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.growth.rules import Programmes, evaluate_group

ELIGIBLE, NOT_ELIGIBLE, CANNOT_TELL = "대상", "비대상", "판단불가"
RESULT_EN = {ELIGIBLE: "eligible", NOT_ELIGIBLE: "not eligible", CANNOT_TELL: "cannot tell"}
SCREEN_COLUMNS = ["census_year", "programme", "result", "failed_criteria", "missing_criteria", "manual_checks"]


def screen(indicators: pd.DataFrame, programmes: Programmes, key: str = "firm_id",
           only: list[str] | None = None) -> pd.DataFrame:
    """Long table: key, census_year, programme, result (대상 / 비대상 / 판단불가),
    failed_criteria, missing_criteria ('; '-joined labels and reasons; empty when none),
    manual_checks (what staff must still check by hand). `only` limits it to some programmes."""
    frames = []
    for name, p in programmes.programmes.items():
        if only is not None and name not in only:
            continue
        state, failed, missing = evaluate_group(p.rule, indicators)
        frames.append(pd.DataFrame({
            key: indicators[key].to_numpy(), "census_year": indicators["census_year"].to_numpy(), "programme": name,
            "result": np.select([state == 1, state == 0], [ELIGIBLE, NOT_ELIGIBLE], CANNOT_TELL),
            "failed_criteria": failed.joined(),
            "missing_criteria": missing.joined(),
            "manual_checks": "; ".join(p.manual_checks) or None,
        }))
    if not frames:
        return pd.DataFrame(columns=[key, *SCREEN_COLUMNS])
    return pd.concat(frames, ignore_index=True)


def counts(screened: pd.DataFrame) -> pd.DataFrame:
    """census_year x programme x result counts (for the report and the note)."""
    return (screened.groupby(["census_year", "programme", "result"]).size().rename("firms").reset_index())
