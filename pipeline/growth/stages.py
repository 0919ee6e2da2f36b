"""Growth stage of every firm-year (config/growth/stages.yaml): the rules are checked in order,
highest stage first, and the first one met decides. A firm-year whose data cannot tell whether
a higher rule is met gets the first rule it does meet, marked 잠정 (provisional), with the rules
it could not be judged on; one that meets no rule while some could not be decided is 판단불가."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.growth.rules import StageRules, TextLists, evaluate_group

STATUS_FINAL = "확정"
STATUS_PROVISIONAL = "잠정"
UNDECIDED = "판단불가"
# Columns of assign_stages' result besides the key.
STAGE_COLUMNS = ["census_year", "stage", "stage_rule", "stage_status", "stage_undecided"]


def assign_stages(indicators: pd.DataFrame, rules: StageRules, key: str = "firm_id") -> pd.DataFrame:
    """key, census_year, stage (the stage's name; the rules' `otherwise` stage when every rule
    was decided and none met; 판단불가 when none was met and some could not be decided),
    stage_rule (the id of the rule that decided, 'otherwise' or 'undecided'), stage_status
    (확정 / 잠정 / 판단불가), stage_undecided (rules above it the data could not decide, with
    what was missing; empty when 확정)."""
    n = len(indicators)
    stage = np.full(n, None, dtype=object)
    rule_id = np.full(n, None, dtype=object)
    undecided = TextLists(n, sep=" | ")
    open_ = np.ones(n, bool)
    for s in rules.stages:
        state, _, missing = evaluate_group(s.rule, indicators)
        take = open_ & (state == 1)
        stage[take], rule_id[take] = s.name, s.id
        open_ &= ~take
        undecided.extend(open_ & (state == -1), f"{s.name}: " + missing.text)
    # No rule met: the fallback stage if every rule was decided, else the data cannot tell.
    blocked = np.asarray(undecided.count > 0, dtype=bool)  # dtype: an empty panel too
    stage[open_ & ~blocked], rule_id[open_ & ~blocked] = rules.otherwise, "otherwise"
    stage[open_ & blocked], rule_id[open_ & blocked] = UNDECIDED, "undecided"
    out = pd.DataFrame({key: indicators[key].to_numpy(), "census_year": indicators["census_year"].to_numpy(),
                        "stage": stage, "stage_rule": rule_id})
    out["stage_status"] = np.where(stage == UNDECIDED, UNDECIDED, np.where(blocked, STATUS_PROVISIONAL, STATUS_FINAL))
    out["stage_undecided"] = np.where(blocked, undecided.text, None)
    return out
