"""Domain library of the firm-census pipeline. Never imports dagster."""

__version__ = "0.2.0"
