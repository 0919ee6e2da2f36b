"""What a delivered file really is, from its bytes rather than its name: contractors send HTML
tables named .xls, CSV named .xlsx, and password-protected workbooks."""

from __future__ import annotations

from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# An encrypted OOXML workbook is an OLE container holding a stream of this name (UTF-16LE).
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def sniff_format(path: Path) -> str:
    """One of 'xlsx', 'xls', 'encrypted', 'html', 'csv', 'empty'."""
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    if not head.strip():
        return "empty"
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        return "encrypted" if ENCRYPTED_PACKAGE in head or _ole_has_encrypted_package(path) else "xls"
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<?xml")) or b"<table" in text[:4096]:
        return "html"
    return "csv"


def _ole_has_encrypted_package(path: Path) -> bool:
    # The directory may sit past the first 64 KiB in larger files.
    with open(path, "rb") as f:
        return ENCRYPTED_PACKAGE in f.read(4 << 20)
