"""The directory in a real browser (Debian's Chromium driven by Playwright), opened from file://
as a reader would open a downloaded copy: product search in every language, firm pages with the
translated fields, withheld firms impossible to find, embedded fonts in use. Screenshots of the
search and a firm page in each language go to /work/notes/directory_screens/ when that folder's
parent exists (DIRECTORY_SCREENS overrides), else to the test's temporary folder."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from pipeline.directory.build import build_directory_from_frame, directory_config, directory_entries
from pipeline.directory.terms import export_terms, import_terms
from pipeline.ksic.reference import load_reference
from pipeline.settings import load_settings, make_project

from .conftest import firm_year_frame, withheld_names

REPO = Path(__file__).resolve().parents[2]
SHARED_REFERENCE = (REPO.parent / "shared" / "reference").resolve()
# Chinese translations a translator returns through the terms workbook.
ZH = {"커넥터": "连接器", "서보프레스": "伺服压力机", "기타 가공 공작기계 제조업": "其他成型机械和机床制造业"}


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Installs Debian's Chromium when missing (scripts/install_browser.sh) and returns its path."""
    done = subprocess.run(["bash", str(REPO / "scripts" / "install_browser.sh")], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"install_browser.sh failed: {done.stderr[-2000:]}"
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # --no-sandbox: the tests run as root in CI, where Chromium's sandbox refuses to start.
        b = pw.chromium.launch(executable_path=chromium_path, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site of the test rows, after a translator's Chinese workbook came back."""
    root = tmp_path_factory.mktemp("directory_site")
    settings = load_settings(make_project(root / "project", SHARED_REFERENCE))
    ksic = load_reference(settings).ksic
    frame = firm_year_frame(ksic[ksic["revision"] == 11])
    config = directory_config(settings)
    workbook = root / "terms_zh.xlsx"
    export_terms(directory_entries(frame, settings, config), "zh", workbook, 2024)
    from openpyxl import load_workbook

    wb = load_workbook(workbook)
    for row in wb["terms"].iter_rows(min_row=2):
        if row[1].value in ZH:
            row[5].value = ZH[row[1].value]
    wb.save(workbook)
    import_terms(workbook, config.memory_dir)
    result = build_directory_from_frame(frame, settings, 2024, root / "site")
    slugs = {e.name["ko"].text: e.slug for e in directory_entries(frame, settings, config)}
    machinery = {slugs[n] for n in frame.loc[frame["ksic_rep_division"] == "29", "firm_name"] if n in slugs}
    return result.path, slugs, machinery


@pytest.fixture(scope="module")
def screens(tmp_path_factory) -> Path:
    default = Path("/work/notes/directory_screens") if Path("/work/notes").is_dir() else tmp_path_factory.mktemp("screens")
    folder = Path(os.environ.get("DIRECTORY_SCREENS", default))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 800}, locale="en-US")
    p = context.new_page()
    yield p
    context.close()


def _search(page, site_root: Path, lang: str, query: str) -> set[str]:
    page.goto((site_root / lang / "index.html").as_uri())
    page.fill("#q", query)
    page.wait_for_function("document.getElementById('count').textContent.length > 0")
    return set(page.eval_on_selector_all("#results li", "els => els.map(e => e.dataset.slug)"))


@pytest.mark.parametrize(("lang", "query", "expected"), [
    ("ko", "커넥터", ["(주)한빛커넥터", "미래전자(주)"]),
    ("en", "connector", ["(주)한빛커넥터", "미래전자(주)"]),
    ("zh", "连接器", ["(주)한빛커넥터", "미래전자(주)"]),
    ("vi", "Máy ép Servo", ["세원프레스"]),
])
def test_product_search_in_each_language(page, site, screens, lang, query, expected):
    root, slugs, _ = site
    found = _search(page, root, lang, query)
    assert found == {slugs[name] for name in expected}
    page.screenshot(path=str(screens / f"search_{lang}.png"), full_page=True)


def test_search_by_sector_complex_and_name(page, site):
    root, slugs, machinery = site
    assert len(machinery) >= 5 and slugs["세원프레스"] in machinery
    assert _search(page, root, "zh", "其他机械和设备制造业") == machinery
    assert _search(page, root, "en", "Daesung Precision") == {slugs["대성정밀 주식회사"]}
    page.select_option("#complex", "반월국가산업단지")
    assert set(page.eval_on_selector_all("#results li", "els => els.map(e => e.dataset.slug)")) == {slugs["대성정밀 주식회사"]}


# The firm page of 세원프레스: sector and activity labels, products with their sources.
FIRM_PAGE = {
    "ko": ("세원프레스", "기타 기계 및 장비 제조업", [("서보프레스", "original"), ("기계식 프레스", "original")]),
    "en": ("Sewon Press", "Manufacture of other machinery and equipment", [("Servo-presses", "glossary"), ("Mechanical presses", "glossary")]),
    "zh": ("Sewon Press", "其他机械和设备制造业", [("伺服压力机", "memory"), ("기계식 프레스", "untranslated")]),
    "vi": ("Sewon Press", "Sản xuất máy móc và thiết bị khác", [("Máy ép Servo", "glossary"), ("Máy ép cơ khí", "glossary")]),
}


@pytest.mark.parametrize("lang", ["ko", "en", "zh", "vi"])
def test_firm_page_shows_the_translated_fields(page, site, screens, lang):
    root, slugs, _ = site
    name, sector, products = FIRM_PAGE[lang]
    _search(page, root, lang, FIRM_PAGE["vi"][2][0][0] if lang == "vi" else "세원")
    page.click(f"#results li[data-slug='{slugs['세원프레스']}'] a")
    page.wait_for_selector("#firm-name")
    assert page.inner_text("#firm-name").strip() == name
    assert page.inner_text("#sector").strip() == sector
    shown = page.eval_on_selector_all("#products li .v", "els => els.map(e => [e.textContent, e.dataset.source])")
    assert [tuple(x) for x in shown] == products
    assert page.get_attribute("html", "lang").startswith(lang)
    # the untranslated word is marked visibly, in the language it is really in
    if lang == "zh":
        assert page.inner_text("#products li:nth-child(2) .badge") == "未翻译"
        assert page.get_attribute("#products li:nth-child(2) .v", "lang") == "ko"
    page.screenshot(path=str(screens / f"firm_{lang}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["ko", "en", "zh", "vi"])
def test_a_withheld_firm_cannot_be_found(page, site, lang):
    root, slugs, _ = site
    for query in ("비밀커넥터", "Bimil", "숨은기어", "Sumeungieo", "비공개프레스", "Bigongae"):
        assert _search(page, root, lang, query) == set(), query
        assert page.inner_text("#count") != ""
    assert all(name not in slugs for name in withheld_names())
    assert len(list((root / lang / "firms").glob("*.html"))) == len(slugs)


def test_language_switch_keeps_the_query_and_fonts_are_embedded(page, site):
    """Also: nothing is loaded from outside the site (it works offline)."""
    root, slugs, _ = site
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    _search(page, root, "ko", "커넥터")
    page.click(".langs a[data-lang='vi']")
    page.wait_for_selector("#results li")
    assert page.input_value("#q") == "커넥터"
    assert page.get_attribute("html", "lang") == "vi"
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px DirHangul', '커넥터')")
    assert page.evaluate("document.fonts.check('16px DirLatin', 'Máy ép cơ khí ư ơ ạ')")
    used = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    assert {"DirHangul", "DirLatin"} <= {f.strip('"') for f in used}
    page.click(f"#results li[data-slug='{slugs['미래전자(주)']}'] a")
    page.wait_for_selector("#firm-name")
    assert requested and all(u.startswith(("file://", "data:")) for u in requested), [u for u in requested if not u.startswith("file")]
