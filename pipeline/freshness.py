"""The one decision whether a census year must be (re)loaded, shared by `census run`, the raw-file
sensor and `census status`: a year is due when its file is new, its content changed (sha256, the
raw file's data version in Dagster), or the config, suites or corrections changed since its last
good load (the config fingerprint, the yearly assets' code version)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.load import config_fingerprint, last_good_load
from pipeline.read.delivery import file_sha256
from pipeline.settings import Settings


@dataclass(frozen=True)
class YearState:
    year: int
    path: Path
    sha256: str
    due: bool
    reason: str  # new | changed_file | changed_config | unchanged


def year_states(settings: Settings, years: list[int] | None = None) -> list[YearState]:
    files = settings.raw_files()
    fingerprint = config_fingerprint(settings)
    out = []
    for year in sorted(years if years is not None else files):
        if year not in files:
            continue
        sha = file_sha256(files[year])
        last = last_good_load(settings, year)
        if last is None:
            reason = "new"
        elif last["sha256"] != sha:
            reason = "changed_file"
        elif last["config_fingerprint"] != fingerprint:
            reason = "changed_config"
        else:
            reason = "unchanged"
        out.append(YearState(year, files[year], sha, reason != "unchanged", reason))
    return out


# The size class of year Y averages revenue over Y-2 .. Y (the firm_revenue input of the
# classification step), so a load changes the classification of the next two loaded years.
HISTORY_YEARS = 2


def years_to_reclassify(loaded: list[int], present: list[int], failed: list[int] = ()) -> list[int]:
    """Years already in the store whose revenue history a load of `loaded` changed: classified
    again (without reading their files) so the result does not depend on the order of the loads."""
    return sorted(y for y in present if y not in loaded and y not in failed
                  and any(0 < y - d <= HISTORY_YEARS for d in loaded))
