"""The trained autocoder: a dictionary of industry names and a nearest-neighbour text coder over
character n-grams, trained on first use from the agency's reference folder and cached on disk.

Nearest neighbours over TF-IDF character 2-4-grams were chosen over a linear SVM and naive Bayes
on the measurements in bench/autocode_benchmark.py's docstring: better on real register product
text, and training takes seconds (about 15 s on two busy cores) instead of over a minute.

A trained model is derived from the official files, so it is never committed: `load_or_train`
keys the cache file by the reference files' bytes, the model settings and the agency's examples,
and trains again when any of them changes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import scipy.sparse as sp

if TYPE_CHECKING:
    # scikit-learn (about a second to import) is loaded where a model is trained or unpickled, not
    # by everything that imports the classification package.
    from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.ksic.autocode.calibration import Calibration, fit_calibration
from pipeline.ksic.autocode.config import AutocodeConfig
from pipeline.ksic.autocode.normalise import model_text, name_key
from pipeline.ksic.autocode.sources import read_ksic_text, reference_files

log = logging.getLogger(__name__)

# Bump when the model's structure changes, so old cache files are not unpickled into new code.
MODEL_FORMAT = 2
CACHE_PREFIX = "ksic-autocode-"
# Texts scored at once: bounds the texts × training-texts similarity matrix held in memory.
_CHUNK = 2048
# Neighbour candidates below this share of a text's best similarity are not ranked.
_RELATIVE_FLOOR = 0.15


class AutocodeTrainingError(ValueError):
    """The model cannot be trained from the given files or examples."""


@dataclass
class Votes:
    """What the model says about each text: the top codes (columns of `classes`) with their vote
    shares, and the calibrated probability that the first is right."""
    top: np.ndarray         # texts × alternatives, class columns, best first
    share: np.ndarray       # texts × alternatives, vote shares (0 where no neighbour voted)
    confidence: np.ndarray  # texts


@dataclass
class AutocodeModel:
    classes: np.ndarray                     # KSIC-11 subclass codes
    subclasses: pd.DataFrame                # code, name_ko, name_en, section, division, group, class
    name_codes: dict[str, tuple[str, ...]]  # name key -> subclasses (the newest revision naming it wins)
    vectoriser: TfidfVectorizer
    texts_t: sp.csr_matrix                  # n-grams × training texts (transposed for the product)
    text_class: np.ndarray                  # class column of each training text
    text_weight: np.ndarray                 # vote weight of each training text (by origin)
    neighbours: int
    calibration: Calibration
    key: str
    training_summary: dict
    division_first: bool = False

    # ---- loading -------------------------------------------------------------------------
    @classmethod
    def load_or_train(cls, reference_dir: Path, cache_dir: Path, config: AutocodeConfig,
                      agency_examples: pd.DataFrame | None = None) -> AutocodeModel:
        """The cached model for these reference files, settings and examples, else a newly trained
        one (written to cache_dir, which keeps the KEEP_MODELS models used last).

        agency_examples: the agency's own coded years, columns `text` and `code` (KSIC-11 subclass)."""
        key = cache_key(reference_dir, config, agency_examples)
        path = Path(cache_dir) / f"{CACHE_PREFIX}{key}.pkl"
        if path.is_file():
            try:
                with path.open("rb") as fh:
                    model = pickle.load(fh)
                if isinstance(model, AutocodeModel) and model.key == key:
                    _touch(path)  # used last: kept when the shared folder is trimmed
                    return model
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
                log.warning("autocode cache %s unreadable; training again / 캐시를 읽을 수 없어 다시 학습합니다", path.name)
        model = train(reference_dir, config, agency_examples, key)
        _write_cache(model, Path(cache_dir), path)
        return model

    # ---- prediction ------------------------------------------------------------------------
    def class_scores(self, texts: list[str], allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Summed similarity-weighted votes of each text's nearest training texts per class
        (texts × classes), and the similarity of each text's single nearest training text.
        `allowed`: boolean mask over classes; texts of other classes do not vote."""
        scores = np.zeros((len(texts), len(self.classes)), dtype=np.float32)
        nearest = np.zeros(len(texts), dtype=np.float32)
        for start in range(0, len(texts), _CHUNK):
            sims = (self.vectoriser.transform(texts[start:start + _CHUNK]) @ self.texts_t).tocsr()
            if allowed is not None:
                sims.data *= allowed[self.text_class[sims.indices]]
                sims.eliminate_zeros()
            n = sims.shape[0]
            rows = np.repeat(np.arange(n), np.diff(sims.indptr))
            row_max = np.zeros(n, dtype=np.float32)
            if sims.nnz:
                np.maximum.at(row_max, rows, sims.data)
            # Texts far less similar than a row's best cannot reach its top k in practice; dropping
            # them before sorting makes the sort several times smaller.
            strong = sims.data >= _RELATIVE_FLOOR * row_max[rows]
            data, cols, rows = sims.data[strong], sims.indices[strong], rows[strong]
            # One float key sorts by row, then by similarity descending within the row.
            order = np.argsort(rows - data.astype(np.float64) * 0.5, kind="stable")
            starts = np.searchsorted(rows[order], np.arange(n))
            rank = np.arange(len(order)) - starts[rows[order]]
            keep = order[rank < self.neighbours]
            cls_ = self.text_class[cols[keep]]
            votes = data[keep] * self.text_weight[cols[keep]]
            block = sp.coo_matrix((votes, (rows[keep], cls_)), shape=(n, len(self.classes))).toarray()
            scores[start:start + n] = block
            nearest[start:start + n] = row_max
        return scores, nearest

    def vote(self, texts: list[str], alternatives: int, allowed: np.ndarray | None = None) -> Votes:
        scores, nearest = self.class_scores(texts, allowed)
        return votes_from_scores(scores, nearest, alternatives, self.calibration, self.ranking_classes)

    @property
    def ranking_classes(self) -> np.ndarray | None:
        """The subclass codes when votes are ranked division first, else None (flat ranking)."""
        return self.classes if self.division_first else None

    def section_mask(self, sections) -> np.ndarray | None:
        if not sections:
            return None
        wanted = set(sections)
        by_code = dict(zip(self.subclasses.code, self.subclasses.section, strict=True))
        return np.array([by_code.get(c) in wanted for c in self.classes])


def vote_features(share: np.ndarray, nearest: np.ndarray) -> np.ndarray:
    second = share[:, 1] if share.shape[1] > 1 else np.zeros(len(share))
    return np.column_stack([share[:, 0], share[:, 0] - second, nearest])


def division_first_order(scores: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Ranking keys that put the subclasses of the division with the most votes first (by their own
    votes), then the others. A short product text scatters its neighbours over several subclasses
    of one industry; summed, they outvote a single stray subclass of another division."""
    divisions, column_division = np.unique(np.asarray(classes, dtype="U2"), return_inverse=True)
    by_division = np.zeros((scores.shape[0], len(divisions)), dtype=np.float64)
    np.add.at(by_division.T, column_division, scores.T)
    best = by_division.argmax(axis=1)
    # Only subclasses that got votes move up: an unvoted one of the best division is no alternative.
    lifted = (column_division[None, :] == best[:, None]) & (scores > 0)
    return scores + lifted * (scores.sum(axis=1, keepdims=True) + 1.0)


def votes_from_scores(scores: np.ndarray, nearest: np.ndarray, alternatives: int, calibration: Calibration | None,
                      classes: np.ndarray | None = None) -> Votes:
    """The top `alternatives` codes of each text with their vote shares and confidence; with
    `classes` (the model's subclass codes) ranked division first (division_first_order)."""
    k = max(2, alternatives)
    keys = scores if classes is None else division_first_order(scores, classes)
    top = np.argsort(-keys, axis=1, kind="stable")[:, :k]
    total = scores.sum(axis=1, keepdims=True)
    share = np.divide(np.take_along_axis(scores, top, axis=1), total, out=np.zeros(top.shape, dtype=np.float32), where=total > 0)
    if calibration is None:
        confidence = share[:, 0].astype(float)
    else:
        confidence = np.where(total[:, 0] > 0, calibration.confidence(vote_features(share, nearest)), 0.0)
    return Votes(top=top[:, :alternatives], share=share[:, :alternatives], confidence=confidence)


def cache_key(reference_dir: Path, config: AutocodeConfig, agency_examples: pd.DataFrame | None) -> str:
    digest = hashlib.sha256()
    digest.update(f"format={MODEL_FORMAT};sklearn={version('scikit-learn')};config={config.fingerprint()}".encode())
    for path in reference_files(Path(reference_dir), config):
        try:
            digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
        except OSError as exc:
            raise AutocodeTrainingError(f"참조 파일을 읽을 수 없습니다 / cannot read reference file {path}: {exc}") from exc
    if agency_examples is not None and len(agency_examples):
        examples = _agency_frame(agency_examples)
        digest.update(pd.util.hash_pandas_object(examples, index=False).to_numpy().tobytes())
    return digest.hexdigest()[:24]


# The cache folder is shared by every project on the machine (settings.model_cache_dir): it keeps
# the models used last, so two agencies (or a test run beside a project) do not evict each other,
# yet it does not grow with every settings change.
KEEP_MODELS = 3


def _write_cache(model: AutocodeModel, cache_dir: Path, path: Path) -> None:
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        # A name of its own: two processes training at once each write whole files, the last wins.
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=f".{path.stem}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(model, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        _evict(cache_dir)
    except OSError as exc:
        # A read-only cache folder costs a retraining next time, not the run.
        log.warning("autocode cache not written (%s) / 캐시를 쓰지 못했습니다", exc)


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass  # a read-only cache still serves the model


def _evict(cache_dir: Path) -> None:
    def used(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0

    models = sorted(cache_dir.glob(f"{CACHE_PREFIX}*.pkl"), key=used, reverse=True)
    for old in models[KEEP_MODELS:]:
        old.unlink(missing_ok=True)


def _agency_frame(examples: pd.DataFrame) -> pd.DataFrame:
    if not {"text", "code"} <= set(examples.columns):
        raise AutocodeTrainingError("agency_examples에 text, code 열이 필요합니다 / agency_examples needs columns text and code")
    # "C29223", "29-223", " 29223" as agencies type them -> "29223".
    codes = examples["code"].astype("string").fillna("").str.replace(r"[\s\-.]", "", regex=True).str.replace(r"^[A-Za-z](?=\d)", "", regex=True)
    frame = pd.DataFrame({"text": examples["text"].astype("string").fillna(""), "code": codes})
    return frame.reset_index(drop=True)


def _name_codes(names: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Name key -> subclasses. A KSIC-11 name wins over the same words as a KSIC-10 name, which wins
    over a KSIC-9 name: the newer revision is what the words mean now."""
    out: dict[str, tuple[str, ...]] = {}
    for revision in (9, 10, 11):
        part = names[names.revision == revision]
        keys = part.name.map(name_key)
        for key, group in part.groupby(keys):
            if key:
                out[key] = tuple(sorted(set(group.code)))
    return out


def train(reference_dir: Path, config: AutocodeConfig, agency_examples: pd.DataFrame | None, key: str,
          exclude: pd.DataFrame | None = None) -> AutocodeModel:
    """A model from the reference files and examples. `exclude` (text, code pairs) keeps test
    texts out of training for the benchmark; such a model is never cached."""
    text = read_ksic_text(Path(reference_dir), config)
    training = text.training
    if exclude is not None and len(exclude):
        dropped = pd.MultiIndex.from_frame(exclude[["text", "code"]])
        training = training[~pd.MultiIndex.from_frame(training[["text", "code"]]).isin(dropped)].reset_index(drop=True)
    known = set(text.subclasses.code)
    summary = {"reference_texts": int(len(training)), "agency_examples": 0, "agency_examples_unknown_code": 0}
    if agency_examples is not None and len(agency_examples):
        agency = _agency_frame(agency_examples)
        usable = agency.code.isin(known) & (agency.text.str.strip() != "")
        summary["agency_examples"] = int(usable.sum())
        summary["agency_examples_unknown_code"] = int((~agency.code.isin(known)).sum())
        training = pd.concat([training, agency[usable].assign(origin="agency")], ignore_index=True)
    m = config.model
    training = training.assign(text=training.text.map(model_text))
    training = training[training.text != ""].drop_duplicates(["text", "code"]).reset_index(drop=True)
    classes = np.array(sorted(known))
    column = {c: i for i, c in enumerate(classes)}
    text_class = training.code.map(column).to_numpy(np.int64)
    text_weight = training.origin.map(m.origin_weights).fillna(1.0).to_numpy(np.float32)
    class_size = np.bincount(text_class, minlength=len(classes)).astype(np.float32)
    text_weight = text_weight / np.maximum(class_size[text_class], 1.0) ** m.class_size_exponent

    from sklearn.feature_extraction.text import TfidfVectorizer

    def fit(rows: np.ndarray) -> tuple[TfidfVectorizer, sp.csr_matrix]:
        vectoriser = TfidfVectorizer(analyzer="char_wb", ngram_range=(m.ngram_min, m.ngram_max), sublinear_tf=True,
                                     min_df=m.min_df, max_df=m.max_df, dtype=np.float32)
        return vectoriser, vectoriser.fit_transform(training.text[rows]).T.tocsr()

    # Calibration: some of the texts most like a respondent's product words (config
    # calibration_origins) are held out once; the votes the rest gives them teach the confidence map. The kept
    # model is then built from every text (building a nearest-neighbour model is only vectorising).
    rng = np.random.default_rng(m.seed)
    draw = rng.random(len(training)) < m.calibration_share
    held = training.origin.isin(m.calibration_origins).to_numpy() & draw
    agency_held = (training.origin == "agency").to_numpy() & draw
    if agency_held.sum() >= m.agency_calibration_min:
        held = agency_held
    vectoriser, texts_t = fit(~held)
    draft = AutocodeModel(classes=classes, subclasses=text.subclasses, name_codes={}, vectoriser=vectoriser, texts_t=texts_t,
                          text_class=text_class[~held], text_weight=text_weight[~held], neighbours=m.neighbours,
                          calibration=None, key="", training_summary={})
    scores, nearest = draft.class_scores(training.text[held].tolist())
    raw = votes_from_scores(scores, nearest, 2, None, classes if m.division_first else None)
    right = raw.top[:, 0] == text_class[held]
    calibration = fit_calibration(vote_features(raw.share, nearest), right)

    vectoriser, texts_t = fit(np.ones(len(training), dtype=bool))
    summary.update(training_texts=int(len(training)), calibration_texts=int(held.sum()),
                   calibrated_on="agency examples" if held is agency_held else "reference texts",
                   calibration_accuracy=float(right.mean()) if len(right) else None, ngrams=int(texts_t.shape[0]))
    return AutocodeModel(classes=classes, subclasses=text.subclasses, name_codes=_name_codes(text.names),
                         vectoriser=vectoriser, texts_t=texts_t, text_class=text_class, text_weight=text_weight,
                         neighbours=m.neighbours, calibration=calibration, key=key, training_summary=summary,
                         division_first=m.division_first)
