"""Round trip with a translator: export every term of a language the directory could not
translate (with context and frequency) to a workbook; import the filled workbook into the
translation memory. Next year only terms new to the memory are exported."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from pipeline.directory.entries import FirmEntry
from pipeline.directory.glossary import term_key
from pipeline.directory.memory import load_memory

TERM_COLUMNS = ("kind", "term_ko", "frequency", "context", "english", "translation")
SHEET = "terms"
ABOUT = "about"


class TermsWorkbookError(ValueError):
    """The workbook handed back is not one this command exported."""


@dataclass(frozen=True)
class ImportResult:
    lang: str
    added: int
    updated: int
    blank: int
    memory_path: Path


def untranslated_terms(entries: list[FirmEntry], lang: str) -> list[dict]:
    """Rows for the translator, most frequent first."""
    freq: Counter = Counter()
    context: dict[tuple[str, str], Counter] = defaultdict(Counter)
    english: dict[tuple[str, str], str] = {}
    shown: dict[tuple[str, str], str] = {}
    for e in entries:
        for term, rendered, en in zip(e.products_ko, e.products[lang], e.products["en"], strict=True):
            if rendered.is_fallback:
                key = ("product", term_key(term))
                shown.setdefault(key, term)
                freq[key] += 1
                if e.activity_ko:
                    context[key][e.activity_ko] += 1
                if not en.is_fallback:
                    english[key] = en.text
        activity = e.activity[lang]
        if activity is not None and activity.is_fallback and e.activity_ko:
            key = ("sector", term_key(e.activity_ko))
            shown.setdefault(key, e.activity_ko)
            freq[key] += 1
            context[key][f"KSIC {e.activity_code}"] += 1
            if e.activity["en"] is not None and not e.activity["en"].is_fallback:
                english[key] = e.activity["en"].text
    rows = []
    for key, n in sorted(freq.items(), key=lambda kv: (-kv[1], kv[0])):
        where = "; ".join(c for c, _ in context[key].most_common(3))
        rows.append({"kind": key[0], "term_ko": shown[key], "frequency": n, "context": where,
                     "english": english.get(key, ""), "translation": ""})
    return rows


def export_terms(entries: list[FirmEntry], lang: str, path: Path, year: int) -> int:
    """Writes the workbook; returns the number of terms in it."""
    rows = untranslated_terms(entries, lang)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(list(TERM_COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([row[c] for c in TERM_COLUMNS])
        ws.cell(ws.max_row, len(TERM_COLUMNS)).fill = PatternFill("solid", fgColor="FFF2CC")
    for col, width in zip("ABCDEF", (10, 28, 10, 40, 40, 40), strict=True):
        ws.column_dimensions[col].width = width
    about = wb.create_sheet(ABOUT)
    about.append(["lang", lang])
    about.append(["census_year", year])
    about.append(["exported_at", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")])
    about.append(["안내", "translation 열만 채워 주세요. 빈 칸은 가져오지 않습니다."])
    about.append(["instructions", "Fill in the translation column only; blank cells are not imported."])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return len(rows)


def import_terms(path: Path, memory_dir: Path) -> ImportResult:
    """Fills the translation memory of the workbook's language from its translation column."""
    path = Path(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError) as exc:
        raise TermsWorkbookError(f"{path.name}: 읽을 수 없습니다 / cannot read: {exc}") from None
    if SHEET not in wb.sheetnames or ABOUT not in wb.sheetnames:
        raise TermsWorkbookError(f"{path.name}: '{SHEET}'/'{ABOUT}' 시트가 없습니다 / not a terms workbook of `census directory terms`")
    meta = {str(r[0]): r[1] for r in wb[ABOUT].iter_rows(values_only=True) if r and r[0] is not None}
    lang = str(meta.get("lang") or "")
    if lang not in ("en", "zh", "vi"):
        raise TermsWorkbookError(f"{path.name}: about 시트의 lang 값이 잘못됐습니다 / unknown lang '{lang}'")
    rows = wb[SHEET].iter_rows(values_only=True)
    header = tuple(str(c) if c is not None else "" for c in next(rows, ()))
    if header[: len(TERM_COLUMNS)] != TERM_COLUMNS:
        raise TermsWorkbookError(f"{path.name}: 열 순서가 바뀌었습니다 / columns must stay {', '.join(TERM_COLUMNS)}")
    memory = load_memory(memory_dir, lang)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    added = updated = blank = 0
    for n, row in enumerate(rows, start=2):
        values = dict(zip(TERM_COLUMNS, row, strict=False))
        term, translation, kind = values.get("term_ko"), values.get("translation"), values.get("kind")
        if term is None and translation is None:
            continue
        if kind not in ("product", "sector") or not str(term or "").strip():
            raise TermsWorkbookError(f"{path.name} 행 {n} / row {n}: kind '{kind}' or empty term")
        if translation is None or not str(translation).strip():
            blank += 1
            continue
        before = memory.get(kind, str(term))
        memory.put(kind, str(term), str(translation), path.name, stamp)
        if before is None:
            added += 1
        elif before != str(translation).strip():
            updated += 1
    wb.close()
    memory.save()
    return ImportResult(lang, added, updated, blank, memory.path)
