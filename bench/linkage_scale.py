"""Identity linkage as the census grows towards national size (service/workers issue, point 4):
blocking, memory and time of the all-years identity step on three census years of N generated
firms, its links against the generator's truth, and what its blocking would make of 3 x 10M.

    .venv/bin/python bench/linkage_scale.py --firms 10000 30000 100000
    .venv/bin/python bench/linkage_scale.py --firms 10000 100000 --blocking "name_key;brn_valid;founded+dong;rep+road"

For each N, in a scratch project: the three sample years are generated (census_sample, with the
truth of which record is which firm) and loaded through the function path (read, stage, validate,
classify: pipeline.yearly.curate_year); then the identity step runs on firm_year as the asset runs
it, phase by phase (features, candidate pairs, scoring, clustering), with its peak memory (of a child process that
reads firm_year and runs the step, and nothing else). Links are checked against the
truth: precision and recall of same-firm record pairs across years.

Blocking at scale: pipeline.identity.scoring.BLOCKS pairs records of different years that share
a key. The number of pairs each key gives is counted exactly from the key's value counts per year
(no pairs are built for it), at every N; its growth exponent between the two largest N projects
it to 10M firms a year. A key whose values do not grow with the census (a founding date) grows
with N squared: the figure says where the one-machine linkage stops.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assets.identity import FIRM_YEAR_COLUMNS  # noqa: E402
from census_sample import writers  # noqa: E402
from census_sample.population import DEFAULT_YEARS, generate  # noqa: E402
from census_sample.sample import deliveries, file_name, truth  # noqa: E402
from pipeline.collector import collector_tuned_for_a_run  # noqa: E402
from pipeline.identity.features import record_features  # noqa: E402
from pipeline.identity.firms import firm_identity  # noqa: E402
from pipeline.identity.reviews import load_reviews  # noqa: E402
from pipeline.identity.scoring import BLOCKS  # noqa: E402
from pipeline.load import read_year_file  # noqa: E402
from pipeline.settings import load_settings, make_project  # noqa: E402
from pipeline.stage import stage  # noqa: E402
from pipeline.storage import read_table  # noqa: E402
from pipeline.supply.setup import supply_setup  # noqa: E402
from pipeline.yearly import curate_year  # noqa: E402

NATIONAL = 10_000_000
SEED = 20241231


def load_years(root: Path, firms: int):
    settings = load_settings(make_project(root, load_settings().reference_dir))
    pop = generate(firms, SEED, DEFAULT_YEARS)
    for year, delivery in deliveries(pop).items():
        path = writers.write(delivery, settings.raw_dir / file_name(year))
        raw = read_year_file(path, settings)
        staged = stage(raw, year, raw.layout.ksic_revision or settings.ksic_revision_for_year(year), settings.columns_path)
        del raw
        curate_year(staged, settings)
    return settings, truth(pop)["records"]


def parse_blocking(text: str) -> list[list[str]]:
    """"name_key;brn_valid;founded+dong;rep+road" -> [[name_key], [brn_valid], [founded, dong], [rep, road]]."""
    return [key.split("+") for key in text.split(";") if key]


def block_pairs(features: pd.DataFrame, blocks) -> dict[str, int]:
    """Pairs of records of different years sharing each blocking key, counted, not built."""
    out = {}
    for keys in blocks:
        sub = features.dropna(subset=keys)
        counts = sub.groupby([*keys, "census_year"], observed=True).size().unstack("census_year", fill_value=0)
        years = list(counts.columns)
        out["+".join(keys)] = int(sum((counts[a] * counts[b]).sum() for i, a in enumerate(years) for b in years[i + 1:]))
    return out


def pair_quality(identity: pd.DataFrame, firm_year: pd.DataFrame, records: pd.DataFrame) -> tuple[float, float]:
    """Precision and recall of same-firm record pairs across years against the generator's truth."""
    known = firm_year[["record_id", "census_year", "source_row"]].merge(records[["census_year", "source_row", "true_firm_id"]],
                                                                       on=["census_year", "source_row"])
    linked = known.merge(identity[["record_id", "firm_id"]], on="record_id")

    def pairs(key: str) -> set:
        out = set()
        for _, g in linked.groupby(key):
            ids = sorted(g.record_id)
            out.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1:])
        return out

    found, true = pairs("firm_id"), pairs("true_firm_id")
    hit = len(found & true)
    return hit / max(len(found), 1), hit / max(len(true), 1)


def identity_phases(settings_path: Path, truth_path: Path, blocking: str) -> dict:
    """The identity step on the project's firm_year, phase by phase; run in a child process of
    its own, so that its peak memory is the step's (plus reading firm_year), not the loads'."""
    settings = load_settings(settings_path)
    firm_year = read_table(settings, "firm_year", columns=FIRM_YEAR_COLUMNS)
    rows = read_table(settings, "firm_year", columns=["record_id", "census_year", "source_row"])
    setup = supply_setup(settings)
    config, reviews = dict(setup.linkage["identity"]), load_reviews(setup.reviews_path)
    if blocking:
        config["blocking"] = parse_blocking(blocking)
    blocks = config.get("blocking") or BLOCKS
    # Counted before the step, from the same features, and let go: no pairs are built for it.
    blocks_counted = block_pairs(record_features(firm_year, setup.rules, setup.sido_of).drop_duplicates("record_id"), blocks)
    profile: dict = {}
    with collector_tuned_for_a_run():
        t = time.perf_counter()
        out = firm_identity(firm_year, config, reviews, setup.rules, setup.sido_of, profile=profile)
        whole = time.perf_counter() - t
    pairs = profile.pop("pairs")
    phases = {**profile, WHOLE: whole}
    precision, recall = pair_quality(out["firm_year_identity"], rows, pd.read_parquet(truth_path))
    return {"records": len(firm_year), "pairs": pairs, "phases": phases, "blocks": blocks_counted,
            "precision": precision, "recall": recall, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


WHOLE = "whole step (as the asset runs it)"


def measure(firms: int, blocking: str) -> dict:
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        settings, records = load_years(Path(d) / "project", firms)
        prepared = time.perf_counter() - t
        truth_path = Path(d) / "truth.parquet"
        records[["census_year", "source_row", "true_firm_id"]].to_parquet(truth_path)
        proc = subprocess.run([sys.executable, __file__, "--child", str(settings.config_dir / "settings.yaml"), str(truth_path),
                               blocking],
                              capture_output=True, text=True, cwd=REPO)
        line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
        if line is None:
            raise RuntimeError(proc.stderr[-3000:])
        return {"firms": firms, "prepared": prepared, **json.loads(line[7:])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--firms", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--blocking", default="", help="keys instead of config/linkage.yaml's, e.g. "
                        "'name_key;brn_valid;founded+dong;rep+road' (';' between keys, '+' between features)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("RESULT " + json.dumps(identity_phases(Path(args.child[0]), Path(args.child[1]), args.child[2])))
        return
    results = []
    for firms in sorted(args.firms):
        r = measure(firms, args.blocking)
        results.append(r)
        print(f"{firms:>9,} firms x 3 years: {r['records']:,} records, {r['pairs']:,} candidate pairs; "
              f"loaded in {r['prepared']:.0f} s", flush=True)
        print("    " + ", ".join(f"{k} {v:.1f} s" for k, v in r["phases"].items()))
        print(f"    peak memory of the identity process (firm_year read + the step): {r['peak_mb']:,.0f} MB; "
              f"pair precision {r['precision']:.4f}, recall {r['recall']:.4f}")
        print("    pairs per blocking key: " + ", ".join(f"{k} {v:,}" for k, v in r["blocks"].items()))
    if len(results) >= 2:
        a, b = results[-2], results[-1]
        print(f"\nprojected to {NATIONAL:,} firms a year x 3 (growth exponent between {a['firms']:,} and {b['firms']:,}):")
        for key in b["blocks"]:
            if a["blocks"][key] and b["blocks"][key]:
                k = math.log(b["blocks"][key] / a["blocks"][key]) / math.log(b["firms"] / a["firms"])
                print(f"    {key:14s} exponent {k:.2f}: {b['blocks'][key] * (NATIONAL / b['firms']) ** k:,.0f} pairs")
        k = math.log(b["phases"][WHOLE] / a["phases"][WHOLE]) / math.log(b["firms"] / a["firms"])
        print(f"    whole step: exponent {k:.2f}, {b['phases'][WHOLE] * (NATIONAL / b['firms']) ** k / 3600:,.1f} h")
        k = math.log(b["peak_mb"] / a["peak_mb"]) / math.log(b["firms"] / a["firms"])
        print(f"    peak memory: exponent {k:.2f}, {b['peak_mb'] * (NATIONAL / b['firms']) ** k / 1024:,.0f} GB")
    print(f"process peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
