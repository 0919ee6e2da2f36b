"""Report configuration (config/reports.yaml of the agency's root; models in
pipeline/config/reports_file.py)."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from pipeline.config.reports_file import (  # noqa: F401  (re-exported for the report code)
    Clusters,
    Columns,
    Dimension,
    Measure,
    Ratio,
    ReportConfig,
    RowFilter,
    Schedule,
    Screening,
    Section,
    Survey,
    Theme,
)
from pipeline.settings import Settings


class ReportConfigError(ValueError):
    """config/reports.yaml cannot be used; the message names the file and key."""


def parse_report_config(raw: object, where: str = "reports.yaml") -> ReportConfig:
    try:
        return ReportConfig.model_validate(raw)
    except ValidationError as e:
        err = e.errors()[0]
        key = ".".join(str(p) for p in err["loc"]) or "(top)"
        raise ReportConfigError(f"{where}: {key}: 설정 오류 / invalid setting: {err['msg']}") from None


def load_report_config(path: Path | Settings) -> ReportConfig:
    """The report configuration from `path`, or the settings root's (checked at load)."""
    if isinstance(path, Settings):
        return path.reports
    try:
        with open(path, encoding="utf-8") as f:
            raw = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise ReportConfigError(f"{Path(path).name}: 읽을 수 없습니다 / cannot read: {str(e).splitlines()[0]}") from None
    return parse_report_config(raw, Path(path).name)
