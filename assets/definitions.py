"""The Definitions object of the census code location (`dagster dev`, `dg check defs`)."""

import dagster as dg

from assets import classification, curated, load, outputs, supply, validation
from assets.io_manager import CensusIOManager
from assets.jobs import census_jobs
from assets.resources import CensusSettings
from assets.sensors import raw_file_sensor


def _area_defs() -> list[dg.Definitions]:
    """Each area of the pipeline contributes its own Definitions; this file only merges them."""
    return [
        dg.Definitions(assets=dg.load_assets_from_modules([load, curated])),
        validation.defs,
        classification.defs,
        supply.defs,
        outputs.defs,
    ]


def _build() -> dg.Definitions:
    merged = dg.Definitions.merge(*_area_defs())
    return dg.Definitions.merge(
        merged,
        dg.Definitions(
            jobs=census_jobs(list(merged.assets or [])),
            sensors=[raw_file_sensor],
            resources={"census_settings": CensusSettings(), "io_manager": CensusIOManager()},
        ),
    )


defs = _build()
