"""The definitions `census run` executes are built once per process and config state: a config
edited between two runs of one process (a long-lived caller, the tests) gives the new code version."""

from __future__ import annotations

from assets.in_process import census_definitions


def test_definitions_are_reused_until_the_config_changes(project):
    path = str(project.config_dir / "settings.yaml")
    first = census_definitions(path)
    assert census_definitions(path) is first
    rules = project.config_dir / "validation.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert census_definitions(path) is not first
