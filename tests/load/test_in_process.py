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


def test_a_run_leaves_the_garbage_collector_as_it_found_it(project):
    """census run tunes the collector for the length of a run only: a long-lived process (the
    daemon, a test session) must get its own thresholds back and nothing left frozen, or the
    garbage of earlier runs would never be collected."""
    import gc

    from pipeline import collector

    before = gc.get_threshold()
    with collector.collector_tuned_for_a_run():
        assert gc.get_threshold() == collector.RUN_THRESHOLDS
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
