"""What the daemon refreshes by itself after a sensor-started load (the census_automation sensor).

Dagster's eager() waits until no dependency partition is missing. The all-years assets (identities,
census.duckdb, research.duckdb) read every partition of firm_year, and the year partitions run to
next year, so some are always missing: under eager() they would never refresh after a load. They
follow any updated year instead; the reference tables are built once when missing, in the same run."""

import dagster as dg

ALL_YEARS = dg.AutomationCondition.eager().without(~dg.AutomationCondition.any_deps_missing()).with_label("after_any_year_loads")
REFERENCE = dg.AutomationCondition.on_missing()
