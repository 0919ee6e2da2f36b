"""Typed configuration: one pydantic model per config file (unknown keys are errors), read
through `read_config`. The agency's Settings (pipeline.settings) finds every file under its root."""

from pipeline.config.errors import ConfigError, config_label
from pipeline.config.files import check, read_config, read_yaml

__all__ = ["ConfigError", "check", "config_label", "read_config", "read_yaml"]
