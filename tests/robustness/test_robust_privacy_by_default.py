"""A real delivery or corrections file dropped into data/ is never one `git add -A` away from a
commit, and nothing tracked under data/ holds a phone number or e-mail address except the
generated sample years."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE_FILES = {"data/raw/2022_시흥_기업실태조사.xlsx", "data/raw/2023_시흥_기업실태조사.csv", "data/raw/2024_시흥_기업실태조사.xlsx"}
PHONE = re.compile(r"(?<!\d)0\d{1,2}[-.) ]\d{3,4}[-. ]\d{4}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")

pytestmark = pytest.mark.skipif(shutil.which("git") is None or not (REPO / ".git").exists(),
                                reason="needs the git checkout (not an exported tarball)")


def git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=REPO, capture_output=True, text=True)


@pytest.mark.parametrize("path", ["data/raw/2025_시흥_기업실태조사.xlsx", "data/raw/2025_[주]시흥 실태조사.csv",
                                  "data/raw/real delivery.xls", "data/corrections/2024.csv", "data/corrections/정정.csv"])
def test_a_new_delivery_or_corrections_file_is_ignored(path):
    assert git("check-ignore", "-q", "--no-index", path).returncode == 0, f"{path} would be committable"


@pytest.mark.parametrize("path", sorted(SAMPLE_FILES) + ["data/corrections/example.csv"])
def test_the_shipped_sample_and_example_stay_tracked(path):
    assert git("check-ignore", "-q", "--no-index", path).returncode == 1, f"{path} is ignored"


def _text_of(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(path) as zf:
            return "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist() if n.endswith(".xml"))
    for encoding in ("utf-8", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def personal_contacts(text: str) -> list[str]:
    return PHONE.findall(text) + EMAIL.findall(text)


def test_the_scan_recognises_the_contacts_deliveries_hold():
    # The sample years do hold them (generated): the scan must see what a real delivery would leak.
    sample = REPO / "data/raw/2024_시흥_기업실태조사.xlsx"
    found = personal_contacts(_text_of(sample))
    assert any("@" in f for f in found) and any(PHONE.fullmatch(f) for f in found)
    assert personal_contacts("대표 010-4734-9387, lrgrcr@lrgr.co.kr") == ["010-4734-9387", "lrgrcr@lrgr.co.kr"]


def test_no_tracked_file_under_data_holds_a_phone_number_or_e_mail_address():
    tracked = [p for p in git("ls-files", "-z", "data").stdout.split("\0") if p]
    assert tracked, "git ls-files found nothing under data/"
    leaks = {p: personal_contacts(_text_of(REPO / p))[:3] for p in tracked if p not in SAMPLE_FILES and (REPO / p).is_file()}
    assert not {p: found for p, found in leaks.items() if found}
