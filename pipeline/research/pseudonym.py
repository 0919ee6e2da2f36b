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


def key_for_build(settings: Settings, research_db: Path | None = None) -> bytes:
    """The key a build uses: as `load_key`. Only a project whose research database was never
    built (`research_db` absent: a fresh clone's sample run) gets a new key file when
    research.create_key_if_missing is set; once a release exists, a lost key stops the build,
    since a new key would silently change every pseudonym researchers have linked."""
    if not os.environ.get(ENV_VAR) and settings.research.create_key_if_missing:
        if research_db is not None and research_db.exists() and not key_file(settings).is_file():
            raise MissingKeyError(
                f"가명처리 키 {key_file(settings)} 가 없습니다. 연구용 DB {research_db} 를 만든 키입니다: 백업에서 키 파일을 "
                f"복구하거나 환경변수 {ENV_VAR}를 설정하세요. 새 키로 시작하려면 (모든 가명이 바뀝니다) `census research-key` "
                f"후 다시 만드세요. / The pseudonym key {key_file(settings)} is missing, and it made {research_db}: restore the "
                f"key file from your backup or set {ENV_VAR}. To start new pseudonyms on purpose (every pseudonym changes), "
                "run `census research-key`, then build again."
            )
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


class Pseudonyms:
    """pseudonym() of many values, as it computes them: the key's HMAC state is prepared once and
    each distinct `kind:value` hashed once per build (a record id is in half a dozen tables)."""

    def __init__(self, key: bytes, length: int = 20):
        self._keyed = hmac.new(key, digestmod=hashlib.sha256)
        self._length = length
        self._done: dict[str, str] = {}

    def __call__(self, value: object, kind: str) -> str | None:
        if value is None or (isinstance(value, float) and value != value):
            return None
        text = f"{kind}:{value}"
        done = self._done.get(text)
        if done is None:
            h = self._keyed.copy()
            h.update(text.encode())
            done = self._done[text] = h.hexdigest()[: self._length]
        return done

    def many(self, values, kind: str) -> list[str | None]:
        """[self(v, kind) for v in values], with the loop's lookups bound once."""
        done, keyed, length, out = self._done, self._keyed, self._length, []
        for value in values:
            if value is None or (isinstance(value, float) and value != value):
                out.append(None)
                continue
            text = f"{kind}:{value}"
            digest = done.get(text)
            if digest is None:
                h = keyed.copy()
                h.update(text.encode())
                digest = done[text] = h.hexdigest()[:length]
            out.append(digest)
        return out
