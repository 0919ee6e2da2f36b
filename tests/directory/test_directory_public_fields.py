"""Only consenting firms and only their public fields reach the directory: every file of the
generated site is scanned for every non-public value."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.directory.build import build_directory_from_frame, directory_config
from pipeline.directory.firm_names import firm_name, split_legal_form
from pipeline.directory.public import consent_given, public_records
from pipeline.directory.romanise import romanise_name

from .conftest import published_names, withheld_names


def _site_text(root: Path) -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8-sig") for p in root.rglob("*") if p.is_file()}


def _secrets(frame: pd.DataFrame, config) -> set[str]:
    values = set()
    for column in ("representative_name", "phone", "email", "brn", "crn", "address", "record_id"):
        values |= {str(v) for v in frame[column].dropna()}
    values |= {f"{b[:3]}-{b[3:5]}-{b[5:]}" for b in frame["brn"]}  # BRN as it is usually written
    values |= {f"{r} {n}" for r, n in zip(frame["addr_road"], frame["addr_number"], strict=True)}  # the building number
    values.add("010-5123-4567")  # typed into a consenting firm's main products
    for name in withheld_names():
        base, _ = split_legal_form(name, config.legal_forms)
        values |= {name, base, romanise_name(base, config.brands)}
        values |= {firm_name(name, None, lang, config).text for lang in ("en", "zh", "vi")}
    return values


def test_no_non_public_value_in_any_file_of_the_directory(project, firm_year, tmp_path):
    config = directory_config(project)
    result = build_directory_from_frame(firm_year, project, 2024, tmp_path / "site")
    files = _site_text(result.path)
    firm_pages = [p for p in files if p.parent.name == "firms"]
    assert len(firm_pages) == 4 * len(published_names())
    assert {p.name for p in files} >= {"index.html", "index.js", "index.json", "fonts.css", "search.js",
                                       "directory_2024.csv", "directory_2024.json"}
    secrets = _secrets(firm_year, config)
    for path, text in files.items():
        leaked = sorted(s for s in secrets if s in text)
        assert not leaked, f"{path.relative_to(result.path)} holds {leaked[:3]}"
    # the consenting firms are all there, by name, in every language's index
    index = files[result.path / "ko" / "index.json"]
    assert all(name.replace("(주)", "").replace("(유)", "").split()[0] in index for name in published_names())
    assert result.firms_published == len(published_names())


def test_the_contact_given_for_publication_is_published_only_for_consenting_firms(project, firm_year, tmp_path):
    result = build_directory_from_frame(firm_year, project, 2024, tmp_path / "site")
    text = "".join(_site_text(result.path).values())
    consenting = firm_year[consent_given(firm_year["publication_consent"], directory_config(project).consent)]
    given = consenting["directory_contact"].dropna()
    assert len(given) >= 3 and all(c in text for c in given)
    withheld = firm_year[firm_year["firm_name"].isin(withheld_names())]["directory_contact"].dropna()
    assert len(withheld) >= 2 and not any(c in text for c in withheld)


def test_consent_must_be_explicit(project):
    spellings = directory_config(project).consent
    answers = pd.Series(["동의", " Y ", "ｙｅｓ", "예", None, "", "미동의", "N", "동의 예정", "모름", float("nan")])
    assert consent_given(answers, spellings).tolist() == [True, True, True, True] + [False] * 7


def test_a_year_without_the_consent_column_publishes_nobody(project, firm_year, tmp_path):
    result = build_directory_from_frame(firm_year.drop(columns=["publication_consent"]), project, 2024, tmp_path / "site")
    assert result.firms_published == 0
    assert not list(result.path.rglob("firms/*.html"))
    assert public_records(firm_year.drop(columns=["publication_consent"]), directory_config(project).consent).empty


def test_unknown_consent_answers_are_reported_and_not_published(project, firm_year, tmp_path):
    result = build_directory_from_frame(firm_year, project, 2024, tmp_path / "site")
    assert result.unknown_consent == ["동의 예정"]
    assert "비공개프레스" not in (result.path / "ko" / "index.json").read_text(encoding="utf-8")


def test_a_frame_with_only_name_consent_and_products_still_builds(project, tmp_path):
    """Years whose layouts map few columns: the entry shows what there is, nothing crashes."""
    frame = pd.DataFrame({"firm_name": ["(주)한빛커넥터", "숨은기어", None], "publication_consent": ["동의", "미동의", "동의"],
                          "main_products": ["커넥터", "기어", "센서"]})
    result = build_directory_from_frame(frame, project, 2024, tmp_path / "site")
    assert result.firms_published == 1  # the nameless row cannot be published
    page = (tmp_path / "site" / "en" / "firms" / "hanbit-connector-co-ltd.html").read_text(encoding="utf-8")
    assert "Hanbit Connector Co., Ltd." in page and ">Connector<" in page and 'id="sector"' not in page
