"""The growth note on the shipped sample: stage and screening counts, mini-cluster linking and
the matched comparison, and the 애로사항 classification rate, measured against the truth.

    python -m census_sample.note

The deliveries in data/raw/ are read and staged as `census run` stages them; firms are followed
by their 사업자등록번호 (rows whose BRN is missing, masked or fails its check digit are left
out and counted), which stands in for the pipeline's firm_id here."""

from __future__ import annotations

import pandas as pd

from census_sample.sample import ROSTER_DIR, sample_truth
from pipeline.names import load_name_rules
from pipeline.settings import load_settings


def _firm_year(settings) -> tuple[pd.DataFrame, int]:
    from pipeline.identifiers import is_valid_brn
    from pipeline.load import stage_year_file

    frames = [stage_year_file(p, y, settings).frame for y, p in sorted(settings.raw_files().items())]
    fy = pd.concat(frames, ignore_index=True)
    ok = fy["brn"].map(lambda b: isinstance(b, str) and is_valid_brn(b))
    return fy[ok].drop_duplicates(["brn", "census_year"]).reset_index(drop=True), int((~ok).sum())


def measure(settings=None) -> dict:
    """Every figure of the note, as tables."""
    from pipeline.clusters import (
        build_network,
        cluster_year_indicators,
        link_members,
        link_rate,
        load_roster_layouts,
        matched_comparison,
        read_rosters,
        size_band,
    )
    from pipeline.difficulties import (
        classification_rate,
        classify_answers,
        difficulty_counts,
        load_taxonomy,
        unclassified_texts,
    )
    from pipeline.growth import assign_stages, load_programmes, load_stage_rules, panel_indicators, screen

    settings = settings or load_settings()
    cfg = settings.config_dir
    fy, left_out = _firm_year(settings)
    ind = panel_indicators(fy, "brn")
    stages = assign_stages(ind, load_stage_rules(cfg / "growth" / "stages.yaml"), "brn")
    screened = screen(ind, load_programmes(cfg / "growth" / "programmes.yaml"), "brn")
    rosters = read_rosters(sorted((settings.raw_dir / ROSTER_DIR).glob("*.xlsx")), load_roster_layouts(cfg / "clusters"))
    rules = load_name_rules(settings.config_path("company_aliases.yaml"))
    linked = link_members(rosters, fy, rules, "brn")
    last = int(fy["census_year"].max())
    firms = ind.merge(fy[["brn", "census_year", "ksic_code", "complex_name_raw"]], on=["brn", "census_year"])
    firms = firms.assign(sector=firms["ksic_code"].str.slice(0, 2), size_band=size_band(firms["employees_total"]),
                         complex=firms["complex_name_raw"].fillna("(미기재)"))
    # link_members puts the census key in the key column ("brn" here, replacing the roster's BRN).
    members = set(linked.loc[(linked["census_year"] == last) & linked["link_method"].isin(["brn", "name"]), "brn"])
    comparison, _ = matched_comparison(firms, members, last, key="brn")
    tax = load_taxonomy(cfg / "difficulties.yaml")
    classified = classify_answers(fy, tax, "brn")
    groups = firms[["brn", "census_year", "sector", "size_band", "complex"]]
    truth = sample_truth()
    return {
        "rows_left_out": left_out,
        "stages": stages.groupby(["census_year", "stage"]).size().unstack(0, fill_value=0),
        "screening": screened.groupby(["programme", "result", "census_year"]).size().unstack(2, fill_value=0),
        "clusters": cluster_year_indicators(linked, ind, "brn"),
        "link_rate": link_rate(linked),
        "comparison": comparison,
        "true_member_bonus": _bonus(),
        "network": build_network(linked, fy, last, rules, "brn"),
        "classification_rate": classification_rate(classified),
        "unclassified": unclassified_texts(classified, fy["difficulty_text"]),
        "by_size": difficulty_counts(classified, groups, ["size_band"], "brn"),
        "truth_difficulties": truth["difficulties"],
    }


def _bonus() -> float:
    from census_sample import config

    return float(config.load("clusters")["member_growth_bonus"])


def main() -> None:
    pd.set_option("display.width", 160)
    m = measure()
    print(f"BRN 없음·오류로 제외한 행 / rows without a usable BRN: {m['rows_left_out']}")
    print("\n성장단계 / growth stages (firm-years)\n", m["stages"].to_string())
    print("\n지원사업 선별 / programme screening\n", m["screening"].to_string())
    print(f"\n미니클러스터 기업 연결률 / roster firms linked: {m['link_rate']:.1%}")
    c = m["comparison"].iloc[0]
    print(f"회원 vs 비교군 3년 매출 증가율 차이 / members vs matched non-members, {int(c.census_year)}: "
          f"{c.difference:+.3f} (95% {c.ci_low:+.3f} .. {c.ci_high:+.3f}; {int(c.members_matched)} members, "
          f"{int(c.strata_used)} strata; generator's bonus {m['true_member_bonus']:+.3f})")
    g = m["network"]
    print(f"네트워크 / network: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")
    print(f"\n애로사항 서술 분류율 / free-text classification rate: {m['classification_rate']:.1%}")
    print("미분류 / unclassified for review\n", m["unclassified"].to_string(index=False))


if __name__ == "__main__":
    main()
