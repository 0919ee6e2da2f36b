"""Reading contractor deliveries (xlsx, legacy xls, CSV, HTML-as-xls) into grids of text."""

from pipeline.read.delivery import DeliveryError, RawTable, read_delivery

__all__ = ["DeliveryError", "RawTable", "read_delivery"]
