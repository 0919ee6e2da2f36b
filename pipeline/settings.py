"""Agency settings from config/settings.yaml, with paths resolved against the project root.

Paths never depend on the current directory: they are resolved from the settings file's
project root (or CENSUS_ROOT), so the CLI, Dagster and the tests agree on where data lives.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    root: Path
    raw: dict[str, Any]

    @property
    def config_dir(self) -> Path:
        return self.root / "config"

    def path(self, key: str) -> Path:
        value = Path(self.raw["paths"][key])
        return value if value.is_absolute() else (self.root / value).resolve()

    @property
    def raw_dir(self) -> Path:
        return self.path("raw_dir")

    @property
    def curated_dir(self) -> Path:
        return self.path("curated_dir")

    @property
    def reference_dir(self) -> Path:
        return self.path("reference_dir")

    @property
    def corrections_dir(self) -> Path:
        return self.path("corrections_dir")

    @property
    def duckdb_path(self) -> Path:
        return self.curated_dir / "census.duckdb"

    @property
    def parquet_dir(self) -> Path:
        return self.curated_dir / "parquet"

    @property
    def reports_dir(self) -> Path:
        return self.curated_dir / "reports"

    @cached_property
    def _year_re(self) -> re.Pattern[str]:
        return re.compile(self.raw["census"]["year_pattern"])

    def year_of_file(self, path: Path) -> int | None:
        """The census year named in a raw file's name, or None if it names none."""
        found = self._year_re.findall(path.name)
        return int(found[0]) if len(set(found)) == 1 else None

    def raw_files(self) -> dict[int, Path]:
        """Census files in raw_dir by year. Two files naming the same year is an error the
        analyst must resolve, so it raises rather than picking one."""
        suffixes = {s.lower() for s in self.raw["census"]["file_suffixes"]}
        by_year: dict[int, list[Path]] = {}
        if self.raw_dir.is_dir():
            for path in sorted(self.raw_dir.iterdir()):
                if path.is_file() and path.suffix.lower() in suffixes and not path.name.startswith(("~$", ".")):
                    year = self.year_of_file(path)
                    if year is not None:
                        by_year.setdefault(year, []).append(path)
        duplicated = {y: p for y, p in by_year.items() if len(p) > 1}
        if duplicated:
            listing = "; ".join(f"{y}: {', '.join(x.name for x in p)}" for y, p in duplicated.items())
            raise ValueError(f"연도별 원본 파일은 하나여야 합니다 / one raw file per year expected: {listing}")
        return {y: p[0] for y, p in by_year.items()}

    def reference_date(self, year: int) -> date:
        return date.fromisoformat(self.raw["census"]["reference_date"].format(year=year))

    def ksic_revision_for_year(self, year: int) -> int:
        """The KSIC revision in force on the census reference date."""
        ref = self.reference_date(year)
        in_force = [r for r in self.raw["census"]["ksic_revisions"] if date.fromisoformat(r["effective"]) <= ref]
        if not in_force:
            raise ValueError(f"no KSIC revision in force on {ref}")
        return max(in_force, key=lambda r: r["effective"])["revision"]

    def section(self, name: str) -> dict[str, Any]:
        return self.raw.get(name, {})


def make_project(root: Path, reference_dir: Path) -> Path:
    """A throw-away project at `root` (the repository's config copied, its own data folders),
    reading the reference files from `reference_dir`; returns its settings file. Tests and the
    benchmark run in one so they never touch the checkout's data/curated."""
    shutil.copytree(PACKAGE_ROOT / "config", root / "config")
    settings_path = root / "config" / "settings.yaml"
    raw = yaml.safe_load(settings_path.read_text(encoding="utf-8"))
    raw["paths"]["reference_dir"] = str(Path(reference_dir).resolve())
    settings_path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    for key in ("raw_dir", "curated_dir", "corrections_dir"):
        (root / raw["paths"][key]).mkdir(parents=True, exist_ok=True)
    return settings_path


def load_settings(path: Path | str | None = None) -> Settings:
    """Settings from `path`, else $CENSUS_SETTINGS, else config/settings.yaml of the project."""
    env_root = os.environ.get("CENSUS_ROOT")
    settings_path = Path(path or os.environ.get("CENSUS_SETTINGS") or (Path(env_root or PACKAGE_ROOT) / "config/settings.yaml"))
    with open(settings_path, encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    root = Path(env_root).resolve() if env_root else settings_path.resolve().parent.parent
    return Settings(root=root, raw=raw)
