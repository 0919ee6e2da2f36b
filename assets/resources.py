from pathlib import Path

import dagster as dg

from pipeline.settings import Settings, load_settings


class CensusSettings(dg.ConfigurableResource):
    """Where the agency's settings file is; empty means config/settings.yaml of the project
    (or $CENSUS_SETTINGS)."""

    settings_path: str = ""

    def load(self) -> Settings:
        return load_settings(Path(self.settings_path) if self.settings_path else None)
