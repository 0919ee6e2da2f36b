"""Noticing new or changed census files in data/raw/."""

import json

import dagster as dg

from assets.jobs import CENSUS_LOAD_JOB
from assets.partitions import census_year_partitions
from assets.resources import CensusSettings
from pipeline.read.delivery import file_sha256


@dg.sensor(job_name=CENSUS_LOAD_JOB, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING)
def raw_file_sensor(context: dg.SensorEvaluationContext, census_settings: CensusSettings) -> dg.SensorResult:
    """Requests the load of a year when its file in data/raw/ is new or its content changed."""
    settings = census_settings.load()
    seen = json.loads(context.cursor) if context.cursor else {}
    try:
        files = settings.raw_files()
    except ValueError as e:  # two files for one year: the analyst has to choose
        return dg.SensorResult(skip_reason=str(e))
    requests, new_years, cursor = [], [], dict(seen)
    existing = set(context.instance.get_dynamic_partitions(census_year_partitions.name))
    for year, path in sorted(files.items()):
        stat = path.stat()
        quick = f"{stat.st_size}:{stat.st_mtime_ns}"
        before = seen.get(str(year), {})
        if before.get("quick") == quick:
            continue
        sha = file_sha256(path)
        cursor[str(year)] = {"quick": quick, "sha256": sha}
        if before.get("sha256") == sha:
            continue  # touched but not changed
        if str(year) not in existing:
            new_years.append(str(year))
        requests.append(dg.RunRequest(run_key=f"{year}-{sha[:16]}", partition_key=str(year), tags={"census/file": path.name}))
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[census_year_partitions.build_add_request(new_years)] if new_years else [],
        cursor=json.dumps(cursor, sort_keys=True),
    )
