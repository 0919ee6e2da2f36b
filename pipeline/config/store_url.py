"""The curated store's location in settings.yaml: a folder, or an fsspec URL whose protocol this
installation can open. Checked when the settings load, so a typo (`s4://`) or a missing driver
(s3fs for `s3://`) stops every entry point at once, not the first write hours into a run."""

from __future__ import annotations

import re

# `scheme://...`; a Windows drive (`C:\\`) or a plain folder has no `://`.
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
# URLs that name a folder of this machine: the local store (renames and a journal) serves them.
LOCAL_PROTOCOLS = ("file", "local")


def store_protocol(value: str) -> str | None:
    """The URL's protocol (`s3`, `memory`, `file`), or None for a plain folder."""
    match = _URL.match(value)
    return match.group(1).lower() if match else None


def check_store_location(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    protocol = store_protocol(value)
    if protocol is None or protocol in LOCAL_PROTOCOLS:
        return value
    import fsspec  # only when a URL is configured: most projects never need it

    try:
        fsspec.get_filesystem_class(protocol)
    except ValueError:
        raise ValueError(f"'{protocol}://': 알 수 없는 파일시스템 프로토콜입니다 / unknown filesystem protocol (fsspec)") from None
    except ImportError as e:
        raise ValueError(f"'{protocol}://': 드라이버 패키지를 설치하세요 / the protocol's package is not installed: {e}") from None
    return value
