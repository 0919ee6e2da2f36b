"""The KSIC codes validation checks against, taken from the KSIC importer (pipeline.ksic, issue 4):
the codes of each revision and, for a code of another revision, its counterpart through the
official 연계표 (pipeline.ksic.convert)."""

from __future__ import annotations

from pipeline.ksic.convert import converter
from pipeline.ksic.reference import load_reference
from pipeline.settings import Settings
from pipeline.validation.checks import KsicCodes


def ksic_codes(settings: Settings) -> KsicCodes:
    ref = load_reference(settings)
    conv = converter(ref)
    codes = {rev: frozenset(known) for rev, known in conv.known.items()}
    # A revision imported only through a concordance (KSIC-9) is known by its subclass codes there.
    for side in ("from", "to"):
        for rev, part in ref.concordance.groupby(f"{side}_revision"):
            if int(rev) not in codes:
                codes[int(rev)] = frozenset(part[f"{side}_code"].dropna())
    return KsicCodes(codes=codes, counterpart=lambda code, frm, to: _counterpart(conv, code, frm, to))


def _counterpart(conv, code: str, from_revision: int, to_revision: int) -> tuple[str, ...]:
    result = conv.convert(from_revision, code, to_revision)
    if result.candidates:
        return tuple(result.candidates.split("|"))
    return (result.code,) if result.code else ()
