"""When the daemon (the UI, or the service) refreshes what a load leaves behind.

Dagster's eager() does not fit two of our cases: it skips an asset whose upstream has a missing
partition (every census year without a file is one, so the all-years tables would never follow a
load), and for time partitions it looks at the latest year only (a corrected 2021 must still be
followed). These conditions start from what is loaded: an asset refreshed by the same runs that
updated its inputs is not requested again, so opening the UI after `census run` starts nothing."""

import dagster as dg

_QUIET = ~dg.AutomationCondition.any_deps_in_progress() & ~dg.AutomationCondition.in_progress()

# All-years tables and the databases: after any input changed.
AFTER_INPUTS = (dg.AutomationCondition.any_deps_updated().since_last_handled() & _QUIET).with_label("after_its_inputs")

# A loaded year's classification and supply tables: again when an input changed without them (a
# reload of the year before changes this year's 3-year revenue history). A year never loaded
# is left to the raw-file sensor.
LOADED_YEAR_AFTER_INPUTS = (~dg.AutomationCondition.missing() & AFTER_INPUTS).with_label("loaded_year_after_its_inputs")

# A year's report: after its data or the database changed, for years that have data.
REPORT_AFTER_DATA = (AFTER_INPUTS & ~dg.AutomationCondition.any_deps_missing()).with_label("report_after_its_data")

# The reference tables (KSIC, concordance, complexes): built once when missing, in the same run as
# the database that needs them, so a service whose first load came through the raw-file sensor
# gets a complete census.duckdb without `census run`.
REFERENCE = dg.AutomationCondition.on_missing()
