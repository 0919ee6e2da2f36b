"""Deterministic synthetic firm-census deliveries (시화/반월 region) with their ground truth.

generate(n_firms, seed, years) -> Population: firms, yearly rows as reported, supply network,
true tiers. write_sample / write_delivery write the contractor's files (xlsx, CP949 CSV) as
laid out in config/samplegen/deliveries.yaml. sample_truth() is the truth of the shipped
sample in data/raw/ (SAMPLE_FIRMS firms, SAMPLE_SEED); growth_truth(pop) the truth of firm trends,
mini-cluster rosters (written to data/raw/clusters/) and 애로사항 answers.
"""

from census_sample.defects import DEFECTS
from census_sample.population import DEFAULT_YEARS, Population, generate
from census_sample.sample import (
    ROSTER_DIR,
    SAMPLE_FIRMS,
    SAMPLE_SEED,
    deliveries,
    file_name,
    growth_truth,
    rosters,
    sample_command,
    sample_truth,
    truth,
    write_delivery,
    write_sample,
)

__all__ = [
    "DEFAULT_YEARS", "DEFECTS", "ROSTER_DIR", "SAMPLE_FIRMS", "SAMPLE_SEED", "Population", "deliveries", "file_name",
    "generate", "growth_truth", "rosters", "sample_command", "sample_truth", "truth", "write_delivery", "write_sample",
]
