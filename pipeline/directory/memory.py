"""The translation memory: translations a translator gave, one CSV per language under
config/directory/memory/ (reviewable in a diff, versioned with the config). Keyed by the kind of
term (product, sector) and the Korean term's lookup key, so next year only new terms go out."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.directory.glossary import term_key

MEMORY_COLUMNS = ("kind", "term_ko", "translation", "imported_from", "imported_at")
KINDS = ("product", "sector")


class TranslationMemoryError(ValueError):
    """The memory file is not in the expected shape."""


@dataclass
class TranslationMemory:
    lang: str
    path: Path
    entries: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    def get(self, kind: str, term_ko: str) -> str | None:
        entry = self.entries.get((kind, term_key(term_ko)))
        return entry["translation"] if entry else None

    def put(self, kind: str, term_ko: str, translation: str, imported_from: str, imported_at: str) -> None:
        self.entries[(kind, term_key(term_ko))] = {"kind": kind, "term_ko": term_ko.strip(), "translation": translation.strip(),
                                                   "imported_from": imported_from, "imported_at": imported_at}

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=MEMORY_COLUMNS)
            writer.writeheader()
            for key in sorted(self.entries):
                writer.writerow(self.entries[key])
        tmp.replace(self.path)


def memory_path(memory_dir: Path, lang: str) -> Path:
    return Path(memory_dir) / f"{lang}.csv"


def load_memory(memory_dir: Path, lang: str) -> TranslationMemory:
    """The memory of `lang`; empty when no translation was imported yet."""
    path = memory_path(memory_dir, lang)
    memory = TranslationMemory(lang, path)
    if not path.is_file():
        return memory
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != MEMORY_COLUMNS:
            raise TranslationMemoryError(f"{path.name}: 열이 다릅니다 / columns must be {', '.join(MEMORY_COLUMNS)}")
        for n, row in enumerate(reader, start=2):
            if row["kind"] not in KINDS or not (row["term_ko"] or "").strip() or not (row["translation"] or "").strip():
                raise TranslationMemoryError(f"{path.name} 행 {n} / row {n}: kind must be one of {KINDS}, term and translation non-empty")
            memory.entries[(row["kind"], term_key(row["term_ko"]))] = dict(row)
    return memory
