"""Report configuration (config/reports.yaml)."""

from __future__ import annotations

from pathlib import Path

import yaml

from pipeline.settings import Settings


def load_report_config(settings: Settings) -> dict:
    path: Path = settings.config_dir / "reports.yaml"
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)
