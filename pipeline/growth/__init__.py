"""Growth-stage typing and support-programme screening for the 지역산업 DB (issue 19).

panel.panel_indicators(firm_year, key) -> indicators per firm-year;
stages.assign_stages(indicators, load_stage_rules(path), key) -> stage per firm-year;
screening.screen(indicators, load_programmes(path), key) -> programme result per firm-year.
"""

from pipeline.growth.panel import INDICATORS, PanelInputError, panel_indicators
from pipeline.growth.rules import GrowthConfigError, load_programmes, load_stage_rules
from pipeline.growth.screening import CANNOT_TELL, ELIGIBLE, NOT_ELIGIBLE, screen
from pipeline.growth.stages import assign_stages

__all__ = ["CANNOT_TELL", "ELIGIBLE", "INDICATORS", "NOT_ELIGIBLE", "GrowthConfigError", "PanelInputError",
           "assign_stages", "load_programmes", "load_stage_rules", "panel_indicators", "screen"]
