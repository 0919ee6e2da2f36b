"""The Definitions object of the census code location (`dagster dev`, `dg check defs`)."""

import dagster as dg

from assets import curated, load
from assets.jobs import census_jobs
from assets.resources import CensusSettings
from assets.sensors import raw_file_sensor

# Each area of the pipeline contributes its own Definitions; this file only merges them.
area_defs = [
    dg.Definitions(assets=dg.load_assets_from_modules([load, curated])),
]

_merged = dg.Definitions.merge(*area_defs)
_assets = list(_merged.assets or [])

defs = dg.Definitions.merge(
    _merged,
    dg.Definitions(
        jobs=census_jobs(_assets),
        sensors=[raw_file_sensor],
        resources={"census_settings": CensusSettings(), "io_manager": dg.FilesystemIOManager()},
    ),
)
