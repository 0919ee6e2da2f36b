"""Where each firm-year's KSIC code comes from: the reported code (in the row's own revision),
its conversion, the autocoder on 업종명 and product text, or an analyst's confirmation.

A reported code is read in the revision the row states (ksic_revision_reported, e.g. a register's
대표업종차수), else the file's. A revision the reference cannot read (8th and older: no names, no
concordance) is never read as another revision, because the same digits mean different industries
(8th 27191 절단가공 및 표면처리강재 is 치과용 기기 in the 10th): the code is kept as reported and the
sector comes from the words. The words also code every row whose code is missing or unusable;
below the autocoder's threshold the row goes to the analyst's review file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.ksic.autocode import (
    AutocodeConfig,
    AutocodeModel,
    ReviewFileError,
    load_autocode_config,
    read_confirmations,
    write_review,
)
from pipeline.ksic.autocode.agency import example_paths, read_agency_examples
from pipeline.ksic.autocode.review import REVIEW_COLUMNS
from pipeline.ksic.convert import Converter

# The autocoder and the analyst's review file give KSIC-11 subclasses.
AUTOCODE_REVISION = 11
SOURCE_COLUMNS = ["ksic_code_source", "ksic_code_confidence", "ksic_code_alternatives"]


def supported_revisions(conv: Converter) -> set[int]:
    """Revisions a code can be read in: those with names, and those a concordance starts from."""
    return set(conv.known) | {a for a, _ in conv.steps}


def row_revisions(frame: pd.DataFrame, conv: Converter) -> tuple[pd.Series, np.ndarray]:
    """(the revision each row's code is read in, whether that revision is unsupported). The row's
    own ksic_revision_reported wins over the file's ksic_revision."""
    file_rev = _integers(frame, "ksic_revision")
    reported = _integers(frame, "ksic_revision_reported")
    revision = reported.fillna(file_rev)
    unsupported = (revision.notna() & ~revision.isin(sorted(supported_revisions(conv)))).to_numpy(dtype=bool)
    return revision, unsupported


def _integers(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype="Int64")
    return pd.to_numeric(frame[column], errors="coerce").round().astype("Int64")


def review_path(corrections_dir: Path, year: int) -> Path:
    """The analyst's KSIC review file of a census year, beside the corrections."""
    return Path(corrections_dir) / f"ksic_review_{year}.xlsx"


_models: dict[tuple[Path, str], tuple[AutocodeModel, AutocodeConfig]] = {}


def autocoder(reference_dir: Path, cache_dir: Path, config_path: Path) -> tuple[AutocodeModel, AutocodeConfig]:
    """The trained model and its config: from this process's memory for the same reference folder,
    config text and agency examples (so several projects in one process train once), else from the
    disk cache in cache_dir, else trained and written there."""
    config = load_autocode_config(Path(config_path))
    digest = hashlib.sha256(Path(config_path).read_bytes())
    for path in example_paths(Path(config_path), config):
        digest.update(path.read_bytes() if path.is_file() else b"")
    key = (Path(reference_dir).resolve(), digest.hexdigest())
    if key not in _models:
        examples = read_agency_examples(Path(config_path), config)
        if len(_models) >= 2:
            _models.clear()
        _models[key] = (AutocodeModel.load_or_train(Path(reference_dir), Path(cache_dir), config, examples), config)
    return _models[key]


def confirmations(path: Path, known_codes: set[str]) -> tuple[pd.Series, pd.DataFrame]:
    """record_id -> KSIC-11 code the analyst confirmed (empty when there is no review file), and the
    file's unusable rows."""
    if not Path(path).is_file():
        return pd.Series(dtype="string"), pd.DataFrame()
    confirmed, issues = read_confirmations(path, known_codes)
    return pd.Series(confirmed["code"].to_numpy(), index=confirmed["record_id"].to_numpy(), dtype="string"), issues


def code_sources(usable: np.ndarray, relation: pd.Series, candidates: pd.Series, coded: pd.DataFrame | None,
                 filled: np.ndarray, analyst: np.ndarray) -> pd.DataFrame:
    """ksic_code_source, ksic_code_confidence and ksic_code_alternatives of each row.

    usable: the reported code gives a sector; relation/candidates: its conversion; coded: the
    autocoder's output on every row (None when no row needed it); filled: rows whose sector came
    from the autocoder; analyst: rows an analyst confirmed (they win over everything)."""
    n = len(relation)
    source = np.full(n, None, dtype=object)
    confidence = np.full(n, np.nan)
    alternatives = np.full(n, None, dtype=object)
    same = (relation == "same_revision").to_numpy(dtype=bool, na_value=False)
    split = (relation == "split").to_numpy(dtype=bool, na_value=False)
    source[usable & same] = "reported"
    source[usable & ~same] = "converted"
    confidence[usable] = 1.0
    # A split names several subclasses; without words to choose, each is equally likely.
    if split.any():
        listed = candidates.to_numpy(dtype=object)[split]
        confidence[split] = [1.0 / len(str(c).split("|")) for c in listed]
        alternatives[split] = listed
    if coded is not None:
        has_words = coded["source"].notna().to_numpy(dtype=bool)
        guessed = ~usable & has_words
        source[filled] = coded["source"].to_numpy(dtype=object)[filled]
        confidence[guessed] = coded["confidence"].to_numpy(dtype="float64")[guessed]
        alternatives[guessed] = coded["alternatives"].to_numpy(dtype=object)[guessed]
    source[analyst] = "analyst"
    confidence[analyst] = 1.0
    return pd.DataFrame({
        "ksic_code_source": pd.array(source, dtype="str"),
        "ksic_code_confidence": pd.array(confidence, dtype="Float64"),
        "ksic_code_alternatives": pd.array(alternatives, dtype="str"),
    }, index=relation.index)


def write_review_file(path: Path, review: pd.DataFrame) -> Path | None:
    """Write the year's review list to `path` (xlsx), keeping the rows an analyst already
    confirmed there (their confirmed_code and note) so that a reload never loses their work. The
    file is not rewritten when its rows are unchanged (it is part of the corrections the config
    fingerprint covers), nor created when there is nothing to review. Returns the path, or None."""
    path = Path(path)
    kept = pd.DataFrame(columns=REVIEW_COLUMNS)
    if path.is_file():
        try:
            existing = pd.read_excel(path, dtype=str).reindex(columns=REVIEW_COLUMNS)
        except (ValueError, OSError) as exc:
            raise ReviewFileError(f"{path.name}: 읽을 수 없습니다 / cannot be read ({type(exc).__name__})") from None
        confirmed = existing["confirmed_code"].fillna("").str.strip() != ""
        kept = existing[confirmed]
    fresh = review.reindex(columns=REVIEW_COLUMNS) if len(review) else pd.DataFrame(columns=REVIEW_COLUMNS)
    fresh = fresh[~fresh["record_id"].astype(str).isin(set(kept["record_id"].astype(str)))]
    rows = pd.concat([kept, fresh], ignore_index=True) if len(kept) else fresh.reset_index(drop=True)
    if rows.empty and not path.is_file():
        return None
    if path.is_file() and _same_rows(existing, rows):
        return path
    return write_review(path, rows)


def _same_rows(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    def text(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.reindex(columns=REVIEW_COLUMNS).astype(object).map(lambda v: "" if pd.isna(v) else str(v)).reset_index(drop=True)
    return len(a) == len(b) and text(a).equals(text(b))
