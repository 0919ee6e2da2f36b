"""Ceilings on what a delivery unpacks to (settings.yaml load.max_inflated_mb, load.max_sheet_cells),
checked before anything is parsed: a zip bomb costs neither memory nor minutes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml

from pipeline.load import stage_year_file
from pipeline.read import DeliveryError, excel, text
from pipeline.read.limits import ReadLimits
from pipeline.read.zip_member import InflatedMember
from pipeline.settings import load_settings
from pipeline.warmup import prepare
from tests.robustness import bad_deliveries as bad

MB = 1 << 20


def _rss(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(field)


def peak_growth(action) -> int:
    """Bytes by which the process's peak resident memory rose during `action` (Linux: the peak
    is reset first through /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pytest.skip("the peak resident memory cannot be reset here")
    before = _rss("VmRSS")
    action()
    return _rss("VmHWM") - before


def test_a_zip_bomb_is_refused_from_the_zip_directory_before_memory_grows(project):
    bomb = bad.zip_bomb(project.raw_dir, inflated_mb=2200)
    assert bomb.stat().st_size < 16 * MB  # 2.2 GB of sheet in about 10 MB
    prepare(project)  # what every load loads beside the read (GX, reference tables), loaded once before measuring

    def load():
        with pytest.raises(DeliveryError) as failure:
            stage_year_file(bomb, 2024, project)
        assert failure.value.file == bomb.name
        assert "2,048 MB" in failure.value.message_ko and "load.max_inflated_mb" in failure.value.message_en

    assert peak_growth(load) < 64 * MB


def _with_load_settings(project, **load) -> ReadLimits:
    path = project.config_dir / "settings.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["load"].update(load)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return ReadLimits.from_load_section(load_settings(path).section("load"))


def test_the_shipped_ceilings_leave_room_for_a_million_firms(project):
    limits = ReadLimits.from_load_section(project.section("load"))
    # A million firms: about 1,100 MB of sheet XML, 28 columns.
    assert limits.max_inflated_mb * MB > 1.5 * 1100 * MB
    assert limits.max_sheet_cells > 1.5 * 1_000_002 * 28


def test_an_agency_lowers_the_ceilings_in_settings(project, tmp_path):
    limits = _with_load_settings(project, max_inflated_mb=1, max_sheet_cells=100)
    workbook = bad.xlsx(tmp_path / "2024.xlsx", rows=bad.firms() * 5)  # 40 firms x 28 columns
    with pytest.raises(DeliveryError) as failure:
        excel.probe_xlsx(workbook, 30, limits)
    assert "셀 수" in failure.value.message_ko and "over the limit of 100" in failure.value.message_en
    big_csv = bad.csv_file(tmp_path / "2024.csv", bad.firms() * 800)  # about 1.3 MB
    with pytest.raises(DeliveryError) as failure:
        text.csv_grid(big_csv, limits)
    assert "한도 1 MB" in failure.value.message_ko and big_csv.name == failure.value.file
    assert excel.probe_xlsx(workbook, 30, ReadLimits())  # the defaults read it


@pytest.mark.parametrize("value", [-5, 0, "lots"])
def test_a_bad_ceiling_in_settings_fails_with_the_file_and_key(project, value):
    with pytest.raises(ValueError, match=r"settings.yaml: load.max_inflated_mb: "):
        _with_load_settings(project, max_inflated_mb=value)


def test_a_member_inflating_past_its_stated_size_is_stopped(tmp_path):
    bomb = bad.lying_zip_bomb(tmp_path)
    with zipfile.ZipFile(bomb) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size == MB
    read = 0
    with pytest.raises(zipfile.BadZipFile, match="inflates past its stated size"), InflatedMember(str(bomb), info) as member:
        while block := member.read(1 << 16):
            read += len(block)
    assert read <= info.file_size


def test_an_html_span_cannot_build_a_billion_cells(tmp_path):
    page = tmp_path / "2024.xls"
    page.write_text('<table><tr><td colspan="1000000000" rowspan="1000000000">x</td><td>y</td></tr><tr><td>z</td></tr></table>',
                    encoding="utf-8")
    grid = text.html_grid(page)
    assert grid.shape[1] <= 1001 and grid.shape[0] == 2
    # Many large spans multiply: refused by the cell ceiling before any is expanded.
    rows = "".join('<tr><td colspan="1000" rowspan="65534">x</td></tr>' for _ in range(2000))
    page.write_text(f"<table>{rows}</table>", encoding="utf-8")
    with pytest.raises(DeliveryError) as failure:
        text.html_grid(page)
    assert "load.max_sheet_cells" in failure.value.message_en
