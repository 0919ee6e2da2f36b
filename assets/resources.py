from pathlib import Path

import dagster as dg

from pipeline.config import ConfigError
from pipeline.settings import Settings, load_settings


class CensusSettings(dg.ConfigurableResource):
    """Where the agency's settings file is; empty means config/settings.yaml of the project
    (or $CENSUS_SETTINGS)."""

    settings_path: str = ""

    def load(self) -> Settings:
        try:
            return load_settings(Path(self.settings_path) if self.settings_path else None)
        except ConfigError as e:  # a config typo: its one-line message, not a traceback
            raise dg.Failure(description=str(e), allow_retries=False) from None
