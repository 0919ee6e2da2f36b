"""Deterministic synthetic firm-census deliveries (시화/반월 region) with their ground truth.

generate(n_firms, seed, years) -> Population: firms, yearly rows as reported, supply network,
true tiers. write_sample / write_delivery write the contractor's files (xlsx, CP949 CSV) as
laid out in config/samplegen/deliveries.yaml. sample_truth() is the truth of the shipped
sample in data/raw/ (SAMPLE_FIRMS firms, SAMPLE_SEED).
"""

from census_sample.defects import DEFECTS
from census_sample.population import DEFAULT_YEARS, Population, generate
from census_sample.sample import (
    SAMPLE_FIRMS,
    SAMPLE_SEED,
    deliveries,
    file_name,
    sample_command,
    sample_truth,
    truth,
    write_delivery,
    write_sample,
)

__all__ = [
    "DEFAULT_YEARS", "DEFECTS", "SAMPLE_FIRMS", "SAMPLE_SEED", "Population", "deliveries", "file_name",
    "generate", "sample_command", "sample_truth", "truth", "write_delivery", "write_sample",
]
