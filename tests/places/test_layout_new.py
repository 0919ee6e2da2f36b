"""Issue 14.8: a source no layout fits. The message lists the headers the file has (row, format,
encoding) and how to start; `census layout new FILE` writes a starter layout that loads the
real Seongnam register once the analyst accepts it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.layouts import load_layouts
from pipeline.read import DeliveryError, read_delivery
from tests.conftest import SHIPPED_CONFIG

REPO = Path(__file__).resolve().parents[2]
REGISTER = (REPO.parent / "shared" / "reference" / "registers" / "seongnam_factory_registry_2023.csv").resolve()


@pytest.fixture
def new_source(project, tmp_path):
    """A project that has never seen the register: its layout removed, the file in a folder."""
    if not REGISTER.exists():
        pytest.skip("../shared/reference/registers is not beside the checkout")
    (project.config_dir / "layouts" / "seongnam_factory_registry.yaml").unlink()
    path = tmp_path / "성남 공장등록현황 2023.csv"
    shutil.copy(REGISTER, path)
    return project, path


def test_no_layout_message_lists_the_files_headers(new_source):
    project, path = new_source
    with pytest.raises(DeliveryError) as caught:
        read_delivery(path, load_layouts(project.config_dir / "layouts", SHIPPED_CONFIG / "canonical_columns.yaml"))
    e = caught.value
    assert "회사명, 행정기관명, 설립구분명" in e.message_ko and "정제지번주소, 위도, 경도" in e.message_en
    assert "csv, utf-8" in e.message_en and "row 1" in e.message_en and "1행" in e.message_ko
    assert f"census layout new {path.name}" in e.message_ko and f"census layout new {path.name}" in e.message_en
    # Not the canonical names of some sample layout the file has nothing to do with.
    assert "customer_1_name" not in str(e) and "\n" not in str(e)


def test_layout_new_writes_a_starter_that_reads_the_register(new_source):
    from census_cli.main import app

    project, path = new_source
    result = CliRunner().invoke(app, ["layout", "new", str(path)], terminal_width=200)
    assert result.exit_code == 0, result.output
    written = project.config_dir / "layouts" / "성남_공장등록현황.yaml"
    assert written.exists(), result.output
    assert "firm_name" in result.output and "회사명" in result.output  # it says what it guessed
    layouts = load_layouts(project.config_dir / "layouts", SHIPPED_CONFIG / "canonical_columns.yaml")
    draft = next(layout for layout in layouts if layout.name == "성남_공장등록현황")
    guessed = {c.canonical: (c.headers, c.fallback) for c in draft.columns}
    assert guessed == {
        "firm_name": (("회사명",), ()), "employees_total": (("종업원수",), ()), "size_class_reported": (("공장규모구분명",), ()),
        "industry_name": (("업종명",), ()), "ksic_code": (("업종코드",), ()), "main_products": (("생산품정보",), ()),
        "phone": (("전화번호",), ()), "address": (("정제도로명주소",), ("정제지번주소",)),
    }
    raw = read_delivery(path, layouts)
    assert raw.layout.name == "성남_공장등록현황" and len(raw.cells) == 582 and raw.cells["address"].notna().all()
    # Asked again, it says the file now has a layout instead of writing a second one.
    again = CliRunner().invoke(app, ["layout", "new", str(path)], terminal_width=200)
    assert again.exit_code == 0 and "성남_공장등록현황" in again.output
    assert len(list((project.config_dir / "layouts").glob("*.yaml"))) == len(layouts)


def test_layout_new_on_a_file_that_is_not_there(project, tmp_path):
    from census_cli.main import app

    result = CliRunner().invoke(app, ["layout", "new", str(tmp_path / "없는파일.csv")])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_a_layout_typo_is_one_line_in_the_cli(new_source):
    from census_cli.main import app

    project, path = new_source
    (project.config_dir / "layouts" / "typo.yaml").write_text(
        "name: typo\ncolumns:\n  firm_name: {headres: [회사명]}\n", encoding="utf-8")
    for command in (["validate", str(path)], ["layout", "new", str(path)]):
        result = CliRunner().invoke(app, command, terminal_width=300)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert isinstance(result.exception, SystemExit)  # a clean exit, not an uncaught error
        assert "config/layouts/typo.yaml: columns.firm_name.headres: 알 수 없는 키입니다" in result.output
