"""The static site: per language a search page (index.js holds that language's index) and a page
per firm; a root page choosing the language; the fonts, style and search script under assets/.
No server: every link is relative and the index is a script, so it opens from file:// too."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2

from pipeline.directory import LANGUAGES
from pipeline.directory.config import DirectoryConfig
from pipeline.directory.entries import FirmEntry
from pipeline.directory.exports import write_exports
from pipeline.directory.fonts import font_css, missing_glyphs

STATIC = Path(__file__).parent / "static"


@dataclass(frozen=True)
class SiteResult:
    path: Path
    pages: int
    # Characters no embedded font draws, per language (Chinese: drawn by the system font stack).
    system_font_chars: dict[str, int]


MARKER = ".census-directory"


class SiteFolderError(ValueError):
    """The output folder holds something other than a directory this command wrote."""


def _clear(out: Path) -> None:
    """A year's directory is rewritten whole, so no page of a firm that withdrew its consent
    survives; a non-empty folder is only cleared if this command wrote it."""
    if not out.exists():
        return
    if any(out.iterdir()) and not (out / MARKER).is_file():
        raise SiteFolderError(f"출력 폴더가 비어 있지 않습니다 / output folder is not empty and is not a directory site: {out}")
    shutil.rmtree(out)


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                              autoescape=jinja2.select_autoescape(["html", "j2"]), keep_trailing_newline=True)


def _text(r) -> str:
    return r.text if r is not None else ""


def search_index(entries: list[FirmEntry], lang: str) -> list[dict]:
    """What the search page of `lang` shows and searches: its own language plus the Korean and
    English forms, so a buyer finds a firm by either."""
    rows = []
    for e in entries:
        shown = {_text(e.name[lang]), _text(e.sector[lang]), _text(e.complex[lang]), *(p.text for p in e.products[lang])}
        also = [_text(e.name["ko"]), _text(e.name["en"]), _text(e.sector["en"]), _text(e.activity[lang]), _text(e.activity["en"]),
                _text(e.complex["ko"]), *e.products_ko, *(p.text for p in e.products["en"])]
        rows.append({"slug": e.slug, "name": _text(e.name[lang]), "sector": _text(e.sector[lang]),
                     "sector_key": e.sector_key, "complex": _text(e.complex[lang]), "complex_key": e.complex_key,
                     "products": [p.text for p in e.products[lang]],
                     # positions of products shown untranslated, so the result list marks them too
                     "untranslated": [i for i, p in enumerate(e.products[lang]) if p.is_fallback], "also": sorted({w for w in also if w and w not in shown})})
    return rows


def _facets(entries: list[FirmEntry], lang: str, attr: str, key_attr: str) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for e in entries:
        key, label = getattr(e, key_attr), getattr(e, attr)[lang]
        if key and label is not None:
            seen.setdefault(key, label.text)
    return sorted(seen.items(), key=lambda kv: kv[0])


def write_site(entries: list[FirmEntry], config: DirectoryConfig, out_dir: Path, year: int, agency: dict) -> SiteResult:
    out = Path(out_dir)
    _clear(out)
    (out / "assets").mkdir(parents=True)
    (out / MARKER).write_text("census directory\n", encoding="utf-8")
    env = _environment()
    languages = [config.labels[lang].language for lang in LANGUAGES]
    pages: dict[Path, str] = {}  # every text file of the site, written at the end
    titles = {}
    for lang in LANGUAGES:
        labels = config.labels[lang]
        title = labels.ui.site_title.format(agency=agency.get("name_ko", ""), agency_en=agency.get("name_en", ""), year=year)
        titles[lang] = title
        common = {"lang": lang, "language": labels.language, "languages": languages, "ui": labels.ui,
                  "site_title": title, "year": year}
        index = search_index(entries, lang)
        pages[out / lang / "index.html"] = env.get_template("search.html.j2").render(
            **common, root="../", page_path="index.html", firms=index,
            sectors=_facets(entries, lang, "sector", "sector_key"), complexes=_facets(entries, lang, "complex", "complex_key"))
        # The same index twice: index.json for hosts and partner tools, index.js for the search page
        # (a <script> loads from file://, where browsers block fetch() of a local file).
        data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
        pages[out / lang / "index.json"] = data
        pages[out / lang / "index.js"] = f"window.DIRECTORY_INDEX = {data};\n"
        firm_template = env.get_template("firm.html.j2")
        for e in entries:
            used = sorted({r.source for r in [e.name[lang], e.sector[lang], e.activity[lang], e.complex[lang], e.address[lang],
                                              *e.products[lang]] if r is not None})
            pages[out / lang / "firms" / f"{e.slug}.html"] = firm_template.render(
                **common, root="../../", page_path=f"firms/{e.slug}.html", firm=e, sources_used=used)
    pages[out / "index.html"] = env.get_template("root.html.j2").render(languages=languages, titles=titles)
    chars: dict[str, set[str]] = {lang: set() for lang in (*LANGUAGES, "root")}
    for path, text in pages.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        top = path.relative_to(out).parts[0]
        chars[top if top in LANGUAGES else "root"].update(text)
    (out / "assets" / "fonts.css").write_text(font_css(set().union(*chars.values())), encoding="utf-8")
    for name in ("style.css", "search.js"):
        shutil.copyfile(STATIC / name, out / "assets" / name)
    write_exports(entries, out, year)
    system = {lang: len(missing_glyphs(chars[lang])) for lang in LANGUAGES}
    return SiteResult(out, sum(1 for p in pages if p.suffix == ".html"), system)
