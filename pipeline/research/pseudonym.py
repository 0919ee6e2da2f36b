"""Keyed pseudonyms (HMAC-SHA256) for firm and record identifiers.

The key never lives beside the data: it comes from $CENSUS_PSEUDONYM_KEY, else from the key
file named in settings (research.pseudonym_key_file, default .secrets/pseudonym.key, which git
ignores). Without the key nobody can recompute or reverse a pseudonym; with a new key every
pseudonym changes, so keep the key as long as researchers must link releases.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from pipeline.settings import Settings

ENV_VAR = "CENSUS_PSEUDONYM_KEY"
MIN_KEY_BYTES = 16


class MissingKeyError(RuntimeError):
    pass


def key_file(settings: Settings) -> Path:
    value = Path(settings.research.pseudonym_key_file)
    path = value if value.is_absolute() else (settings.root / value).resolve()
    for data_dir in (settings.curated_dir, settings.raw_dir):
        if path.is_relative_to(data_dir.resolve()):
            raise ValueError(f"가명 키 파일을 데이터 폴더에 둘 수 없습니다 / the pseudonym key must not live beside the data: {path}")
    return path


def load_key(settings: Settings) -> bytes:
    """The key from the environment, else the key file; a clear error if neither is set."""
    text = os.environ.get(ENV_VAR)
    if not text:
        path = key_file(settings)
        if not path.is_file():
            raise MissingKeyError(
                f"가명처리 키가 없습니다. 환경변수 {ENV_VAR}를 설정하거나 `census research-key` 로 {path} 를 만드세요. / "
                f"No pseudonym key: set {ENV_VAR} or run `census research-key` to create {path}."
            )
        text = path.read_text(encoding="utf-8").strip()
    key = text.encode("utf-8")
    if len(key) < MIN_KEY_BYTES:
        raise MissingKeyError(f"가명처리 키가 너무 짧습니다 / the pseudonym key must have at least {MIN_KEY_BYTES} characters")
    return key


def key_for_build(settings: Settings) -> bytes:
    """The key a build uses: as `load_key`, except that with research.create_key_if_missing
    (the sample setup of a fresh clone) a missing key file is created first."""
    if not os.environ.get(ENV_VAR) and settings.research.create_key_if_missing:
        create_key_file(settings)
    return load_key(settings)


def create_key_file(settings: Settings) -> Path:
    """Write a new random key file (mode 600) unless one exists; returns its path."""
    path = key_file(settings)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(secrets.token_hex(32) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def pseudonym(value: object, key: bytes, kind: str, length: int = 20) -> str | None:
    """HMAC-SHA256 of `kind:value`, hex, truncated. `kind` keeps a record id and a firm id
    with the same text from getting the same pseudonym. None stays None."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    digest = hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return digest[:length]
