"""Mini-cluster rosters (cluster, member, role, year) read like deliveries: a layout file per
roster form in config/clusters/ maps headers to roster columns, the header row is found by
scanning the top rows, and the census year comes from the file name."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.layouts import normalise_header

ROLES = ("firm", "university", "institute", "agency")
ROSTER_COLUMNS = ["census_year", "source_file", "source_row", "cluster_name", "member_name", "role", "role_raw", "brn", "joined_year"]


class RosterError(ValueError):
    """A roster or roster layout cannot be read: the message names the file, in Korean and English."""


class RosterColumns(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cluster_name: list[str]
    member_name: list[str]
    role: list[str]
    brn: list[str] = []
    joined_year: list[str] = []


class RosterLayout(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    description: str = ""
    header_scan_rows: int = 10
    census_year: int | None = None
    columns: RosterColumns
    roles: dict[str, list[str]]


def load_roster_layouts(directory: Path) -> list[RosterLayout]:
    """Every *.yaml in `directory`, validated."""
    layouts = []
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            with open(path, encoding="utf-8") as f:
                layout = RosterLayout.model_validate(yaml.safe_load(f))
        except yaml.YAMLError as e:
            raise RosterError(f"{path.name}: YAML 형식 오류 / not valid YAML: {e}") from None
        except ValidationError as e:
            err = e.errors()[0]
            raise RosterError(f"{path.name}: '{'.'.join(map(str, err['loc']))}' — {err['msg']} / 설정 오류") from None
        unknown = set(layout.roles) - set(ROLES)
        if unknown:
            raise RosterError(f"{path.name}: roles에 알 수 없는 구분 / unknown roles: {', '.join(sorted(unknown))} (known: {', '.join(ROLES)})")
        layouts.append(layout)
    if not layouts:
        raise RosterError(f"{directory}: 명단 양식이 없습니다 / no roster layouts")
    return layouts


def _cells(path: Path) -> pd.DataFrame:
    try:
        if path.suffix.lower() == ".csv":
            for encoding in ("utf-8-sig", "cp949"):
                try:
                    return pd.read_csv(path, header=None, dtype=str, encoding=encoding, keep_default_na=False)
                except UnicodeDecodeError:
                    continue
            raise RosterError(f"{path.name}: 글자 인코딩을 알 수 없습니다 / unknown text encoding")
        return pd.read_excel(path, header=None, dtype=object, engine="openpyxl")
    except (OSError, ValueError, KeyError) as e:
        if isinstance(e, RosterError):
            raise
        raise RosterError(f"{path.name}: 파일을 읽을 수 없습니다 / cannot read the file ({type(e).__name__})") from None


def _match(layout: RosterLayout, row: list) -> dict[int, str]:
    index = {normalise_header(h): col for col, headers in layout.columns.model_dump().items() for h in headers}
    found: dict[int, str] = {}
    for pos, cell in enumerate(row):
        col = index.get(normalise_header(cell))
        if col and col not in found.values():
            found[pos] = col
    return found


def _brn(value: object) -> str | None:
    digits = re.sub(r"\D", "", str(value)) if value is not None and not (isinstance(value, float) and pd.isna(value)) else ""
    return digits if len(digits) == 10 else None


def read_roster(path: Path, layouts: list[RosterLayout]) -> pd.DataFrame:
    """The roster's member rows: census_year, source_file, source_row (1-based sheet row),
    cluster_name, member_name, role (firm / university / institute / agency, or None when the
    roster's word is not in the layout), role_raw, brn (10 digits or None), joined_year."""
    path = Path(path)
    cells = _cells(path)
    best: tuple[int, int, RosterLayout, dict[int, str]] | None = None
    for layout in layouts:
        for r in range(min(layout.header_scan_rows, len(cells))):
            found = _match(layout, list(cells.iloc[r]))
            if {"cluster_name", "member_name", "role"} <= set(found.values()) and (best is None or len(found) > len(best[3])):
                best = (r, len(found), layout, found)
    if best is None:
        raise RosterError(f"{path.name}: 미니클러스터·기관명·구분 머리글을 찾지 못했습니다 / no roster header "
                          f"(cluster, member, role) in the first rows; see config/clusters/")
    header_row, _, layout, found = best
    year = re.search(r"(?<!\d)(20\d\d)(?!\d)", path.name)
    census_year = int(year.group(1)) if year else layout.census_year
    if census_year is None:
        raise RosterError(f"{path.name}: 파일 이름에 연도가 없습니다 / no year in the file name (or census_year in the layout)")
    body = cells.iloc[header_row + 1:]
    frame = pd.DataFrame({col: body.iloc[:, pos].to_numpy() for pos, col in found.items()})
    frame["source_row"] = body.index.to_numpy() + 1
    text = lambda s: s.map(lambda v: None if v is None or (isinstance(v, float) and pd.isna(v)) or str(v).strip() == "" else " ".join(str(v).split()))  # noqa: E731
    for col in ("cluster_name", "member_name", "role"):
        frame[col] = text(frame[col])
    frame = frame[frame["member_name"].notna()].reset_index(drop=True)
    words = {normalise_header(w): role for role, spelled in layout.roles.items() for w in spelled}
    frame["role_raw"] = frame["role"]
    frame["role"] = frame["role"].map(lambda v: words.get(normalise_header(v)) if v else None)
    frame["brn"] = frame["brn"].map(_brn) if "brn" in frame else None
    frame["joined_year"] = pd.to_numeric(frame["joined_year"], errors="coerce").astype("Int64") if "joined_year" in frame else pd.NA
    frame["census_year"] = census_year
    frame["source_file"] = path.name
    return frame[ROSTER_COLUMNS]


def read_rosters(paths: list[Path], layouts: list[RosterLayout]) -> pd.DataFrame:
    frames = [read_roster(p, layouts) for p in paths]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=ROSTER_COLUMNS)
