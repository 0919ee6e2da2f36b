"""A step's frame made into the Arrow table its registry entry says, or a SchemaError.

Every table is written through here, so a column a step forgot, a column nobody registered, a
type that drifted (an all-empty column that pandas typed as null or object) or a duplicated key
stops the write with a message naming the table and the column instead of reaching Parquet,
DuckDB and the research database in a shape nobody documented.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.tables.spec import PARTITION, TableSpec


class SchemaError(ValueError):
    """A frame does not have its table's registered columns, types or key."""


def _text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t)


def _acceptable(actual: pa.DataType, wanted: pa.DataType) -> bool:
    if actual == wanted:
        return True
    # Categorical text (the KSIC names) stays dictionary-encoded: Parquet stores it so, and
    # DuckDB and read_table give it back as text.
    return _text(wanted) and pa.types.is_dictionary(actual) and _text(actual.value_type)


def to_arrow(spec: TableSpec, data: pd.DataFrame | pa.Table) -> pa.Table:
    """The stored Arrow table of `spec` (partition column dropped, registry order and types)."""
    table = data if isinstance(data, pa.Table) else pa.Table.from_pandas(data, preserve_index=False)
    names = [n for n in table.column_names if not (spec.partitioned and n == PARTITION)]
    wanted = [c.name for c in spec.stored_columns]
    missing = [n for n in wanted if n not in names]
    extra = [n for n in names if n not in wanted]
    if missing or extra:
        raise SchemaError(
            f"{spec.name}: 등록된 열과 다릅니다 / columns differ from the registry (pipeline/tables/tables.yaml): "
            + "; ".join(p for p in (f"missing {', '.join(missing)}" if missing else "", f"not registered {', '.join(extra)}" if extra else "") if p))
    if len(set(names)) != len(names):
        raise SchemaError(f"{spec.name}: 열 이름이 중복됩니다 / duplicated column names")
    arrays = []
    for column in spec.stored_columns:
        array = table.column(column.name)
        if not _acceptable(array.type, column.arrow_type):
            try:
                array = array.cast(column.arrow_type)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
                raise SchemaError(f"{spec.name}.{column.name}: {array.type} 값을 {column.type}(으)로 바꿀 수 없습니다 / "
                                  f"cannot store {array.type} as {column.type}: {e}") from None
        arrays.append(array)
    out = pa.Table.from_arrays(arrays, names=wanted)
    check_key(spec, out)
    return out


def check_key(spec: TableSpec, table: pa.Table) -> None:
    if not spec.key or table.num_rows == 0:
        return
    if len(spec.key) == 1:
        column = table.column(spec.key[0])
        distinct = pc.count_distinct(column, mode="all").as_py()
        if distinct != table.num_rows:
            raise SchemaError(f"{spec.name}: 키 {spec.key[0]}가 중복됩니다 / key {spec.key[0]} is not unique "
                              f"({table.num_rows - distinct} duplicate rows)")
        return
    keys = table.select(list(spec.key)).to_pandas()
    duplicated = int(keys.duplicated().sum())
    if duplicated:
        raise SchemaError(f"{spec.name}: 키 ({', '.join(spec.key)})가 중복됩니다 / key is not unique ({duplicated} duplicate rows)")
