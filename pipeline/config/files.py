"""Reading a config file into its model: the one place YAML becomes typed configuration."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from pipeline.config.errors import ConfigError, config_label, describe

# libyaml's safe loader when installed (same results, several times faster on every start).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")


def cached_by_file(load: Callable[[Path], R]) -> Callable[[Path], R]:
    """`load(path)` cached on the file's path, modification time and size: read once per process,
    read again when an analyst edits the file (a long-lived process must not keep stale rules)."""
    cached = lru_cache(maxsize=8)(lambda path, _stamp: load(path))

    @wraps(load)
    def wrapper(path: Path) -> R:
        path = Path(path)
        try:
            st = path.stat()
            stamp = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None  # the loader reports the missing file
        return cached(path, stamp)

    return wrapper


def read_yaml(path: Path) -> Any:
    """The file's YAML (an empty file is an empty mapping); ConfigError, one line, when it is
    missing or not YAML."""
    label = config_label(path)
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.load(f, Loader=_LOADER)
    except FileNotFoundError:
        raise ConfigError(f"{label}: 파일이 없습니다 / file not found ({path})") from None
    except OSError as e:
        raise ConfigError(f"{label}: 읽을 수 없습니다 / cannot read: {e}") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"{label}: YAML 형식이 아닙니다 / not valid YAML: {' '.join(str(e).split())}") from None
    return {} if data is None else data


def check(model: type[M], data: Any, label: str) -> M:
    """`data` as `model`; ConfigError naming `label` and the key when it does not fit."""
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise ConfigError(describe(label, e)) from None


def read_config(path: Path, model: type[M]) -> M:
    """The YAML file at `path` checked against `model`."""
    return check(model, read_yaml(path), config_label(path))
