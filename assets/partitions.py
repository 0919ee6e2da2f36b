"""Census years as yearly time partitions ("2024"): a year exists as a partition once the
calendar reaches it, so nothing is registered by hand, a year without a file is simply empty, and
the 3-year revenue history can be declared as a dependency on the two previous years."""

import dagster as dg


def census_years(first_year: int) -> dg.TimeWindowPartitionsDefinition:
    # end_offset=1: the current calendar year is a partition too (a census of this year can be
    # loaded as soon as its file arrives).
    return dg.TimeWindowPartitionsDefinition(cron_schedule="0 0 1 1 *", start=str(first_year), fmt="%Y", end_offset=1)


# Year Y's size class averages revenue over Y-2 .. Y (중소기업기본법 시행령 평균매출액).
PREVIOUS_TWO_YEARS = dg.TimeWindowPartitionMapping(start_offset=-2, end_offset=-1, allow_nonexistent_upstream_partitions=True)
