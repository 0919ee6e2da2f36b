import dagster as dg

# Census years are added as files arrive (the raw-file sensor and `census run` add them), so
# onboarding 2025 needs no code change.
census_year_partitions = dg.DynamicPartitionsDefinition(name="census_year")
