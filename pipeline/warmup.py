"""What the later steps of a load need loaded: Great Expectations (about 2.5 s to import), the
KSIC and KICOX reference tables and the validation config. Each loader caches what it loads, so a
step that runs after prepare() finds it ready.

When to call it is the caller's choice of execution (pipeline.parallel's module docstring): the
command line runs every step of a load in one process and calls it in a thread while Dagster
starts the first run; a process per step gains nothing from it.
"""

from __future__ import annotations

from pipeline.settings import Settings


def prepare(settings: Settings) -> None:
    import great_expectations  # noqa: F401  (the import itself is the cost)
    from great_expectations.data_context.types import base  # noqa: F401

    from pipeline.classify.classify import classification_inputs
    from pipeline.validation.ksic_reference import ksic_codes

    settings.validation  # noqa: B018  (parsed and cached for the validation step)
    ksic_codes(settings)
    classification_inputs(settings)
