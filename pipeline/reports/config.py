"""Report configuration (config/reports.yaml of the agency's root)."""

from __future__ import annotations

from pipeline.settings import Settings


def load_report_config(settings: Settings) -> dict:
    """The checked config/reports.yaml as a dict of what the file sets (the report code keeps
    its defaults for missing_label, order and load_log_columns)."""
    return settings.reports.model_dump(exclude_unset=True)
