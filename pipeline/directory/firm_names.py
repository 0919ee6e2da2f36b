"""Firm names in each language: the firm's own English name where it reported one, else the
romanised Korean name; the legal form ((주), 주식회사, (유) …) is taken off first and written the
way each language writes it (Co., Ltd. / 有限公司 / Công ty TNHH)."""

from __future__ import annotations

import re
import unicodedata

from pipeline.directory.config import DirectoryConfig, LegalForm
from pipeline.directory.romanise import romanise_name
from pipeline.directory.text import Rendered

# Latin legal forms a firm's own English name may already carry; the name is then used as given.
_LATIN_FORMS = ("co., ltd", "co.,ltd", "co. ltd", "ltd", "inc", "corp", "corporation", "llc", "company")


_NOTE = re.compile(r"\([^()]*\)")


def split_legal_form(name: str, forms: dict[str, LegalForm]) -> tuple[str, str | None]:
    """(name without its legal-form mark, key of the form or None). The mark may stand before or
    after the name, with or without a space; NFKC turns ㈜ into (주). What follows a mark inside
    the name is a plant or branch (우운실업(주)성남공장) and so is a bracketed note ((지점)): both go."""
    text = " ".join(unicodedata.normalize("NFKC", name).split())
    marks = sorted(((m, key) for key, form in forms.items() for m in form.marks), key=lambda mk: len(mk[0]), reverse=True)
    found = None
    for mark, key in marks:
        at = text.find(mark)
        if at < 0:
            continue
        found = key
        before, after = text[:at].strip(), text[at + len(mark):].strip()
        text = before if before else after
        break
    text = _NOTE.sub(" ", text)
    return " ".join(text.split()), found


def _with_form(base: str, form: LegalForm | None, lang: str) -> str:
    if form is None:
        return base
    rendering = getattr(form, lang)
    return f"{rendering.text} {base}" if rendering.position == "before" else f"{base} {rendering.text}"


def firm_name(name_ko: str, name_en: str | None, lang: str, config: DirectoryConfig) -> Rendered:
    """The name shown in `lang`. Korean: the name as reported. Other languages: the own English
    name (source "own") or the romanised name (source "romanised"), with the legal form."""
    if lang == "ko":
        return Rendered(" ".join(unicodedata.normalize("NFKC", name_ko).split()), "original")
    base, form_key = split_legal_form(name_ko, config.legal_forms)
    form = config.legal_forms.get(form_key) if form_key else None
    own = " ".join(str(name_en).split()) if name_en and str(name_en).strip() else ""
    if own and lang == "en":
        return Rendered(own, "own")  # as the firm writes it, its legal form included
    if own:
        return Rendered(_with_form(strip_latin_form(own), form, lang), "own")
    return Rendered(_with_form(romanise_name(base, config.brands), form, lang), "romanised")


def strip_latin_form(name: str) -> str:
    """"Ildeok Plating Co., Ltd." -> "Ildeok Plating": other languages put their own legal form
    around the name."""
    for form in sorted(_LATIN_FORMS, key=len, reverse=True):
        trimmed = name.rstrip(" .")
        if trimmed.lower().endswith(form) and len(trimmed) > len(form):
            return trimmed[: -len(form)].rstrip(" ,.")
    return name
