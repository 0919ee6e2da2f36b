"""Dagster code location of the census pipeline. Assets are thin: they call pipeline/."""
