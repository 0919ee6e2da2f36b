"""supply_link: one row per firm-year and named customer, resolved to a known target.

A customer name resolves, in order, to
1. a registry entry (OEM or anchor supplier) with the same canonical key (aliases applied),
2. a census firm of the same year with the same key,
3. the best fuzzy candidate among both, if it scores at least `fuzzy_threshold` and no other
   target scores within `ambiguity_margin` of it.
Anything else stays unresolved with a reason. Guessing between two firms would put a firm in
the wrong chain or tier, so an ambiguous name is left for an analyst (an alias line fixes it).
"""

from __future__ import annotations

import unicodedata

import pandas as pd
from rapidfuzz import fuzz, process

from pipeline.names import NameRules, canonical_key, normalise_name

CUSTOMER_POSITIONS = (1, 2, 3)

LINK_COLUMNS = [
    "record_id", "census_year", "position", "share_pct", "customer_name_raw", "customer_key",
    "target_kind", "target_name", "target_record_id", "target_chain", "target_tier",
    "match_method", "match_score", "unresolved_reason",
]


def customer_rows(firm_year: pd.DataFrame) -> pd.DataFrame:
    """Long frame of the named customers: record_id, census_year, position, customer_name_raw,
    share_pct. Blank names are dropped (a share without a name cannot be linked)."""
    parts = []
    for pos in CUSTOMER_POSITIONS:
        name_col, share_col = f"customer_{pos}_name", f"customer_{pos}_share_pct"
        if name_col not in firm_year.columns:
            continue
        shares = firm_year[share_col] if share_col in firm_year.columns else pd.Series(float("nan"), index=firm_year.index)
        parts.append(pd.DataFrame({
            "record_id": firm_year["record_id"].astype(str),
            "census_year": firm_year["census_year"],
            "position": pos,
            "customer_name_raw": firm_year[name_col],
            "share_pct": pd.to_numeric(shares, errors="coerce").astype("float64"),
        }))
    if not parts:
        return pd.DataFrame(columns=["record_id", "census_year", "position", "customer_name_raw", "share_pct"])
    out = pd.concat(parts, ignore_index=True)
    named = out["customer_name_raw"].map(lambda v: isinstance(v, str) and v.strip() != "")
    return out[named].sort_values(["census_year", "record_id", "position"]).reset_index(drop=True)


def _jamo(key: str) -> str:
    # Compare Hangul letter by letter (NFD splits a syllable into jamo), so one mistyped
    # consonant costs one letter of ~12, not one syllable of ~4.
    return unicodedata.normalize("NFD", key)


def _targets(registry: pd.DataFrame, firms: pd.DataFrame, rules: NameRules) -> dict[str, list[dict]]:
    """Matching key -> the distinct targets carrying it (registry entries first)."""
    targets: dict[str, list[dict]] = {}
    for row in registry.itertuples(index=False):
        targets.setdefault(row.key, []).append({
            "target_kind": row.role, "target_name": row.name, "target_record_id": None,
            "target_chain": row.chain, "target_tier": int(row.tier),
        })
    brns = firms["brn"] if "brn" in firms.columns else pd.Series(None, index=firms.index)
    seen: set[tuple[str, str]] = set()
    for rid, name, brn in zip(firms["record_id"].astype(str), firms["firm_name"], brns, strict=True):
        key = canonical_key(name, rules)
        if not key or key in targets and targets[key][0]["target_kind"] != "census_firm":
            continue  # a registry name wins over a census firm of the same name
        digits = "".join(ch for ch in str(brn) if ch.isdigit()) if isinstance(brn, str) else ""
        if len(digits) == 10:
            # A row delivered twice (same name, same BRN) is one firm, not two candidates:
            # its first row stands for it.
            if (key, digits) in seen:
                continue
            seen.add((key, digits))
        targets.setdefault(key, []).append({
            "target_kind": "census_firm", "target_name": name, "target_record_id": rid,
            "target_chain": None, "target_tier": None,
        })
    return targets


def _unresolved(reason: str, score: float | None = None) -> dict:
    return {"target_kind": "unresolved", "target_name": None, "target_record_id": None, "target_chain": None,
            "target_tier": None, "match_method": None, "match_score": score, "unresolved_reason": reason}


def _identity(target: dict) -> tuple:
    return target["target_kind"], target["target_name"], target["target_record_id"]


def _resolve_one(key: str, raw_key: str, targets: dict[str, list[dict]], jamo_keys: dict[str, str], cfg: dict) -> dict:
    if not key:
        return _unresolved("empty_name")
    found = targets.get(key)
    if found:
        if len(found) > 1:
            return _unresolved("ambiguous_exact", 100.0)
        method = "exact" if key == raw_key else "alias"
        return {**found[0], "match_method": method, "match_score": 100.0, "unresolved_reason": None}
    if len(key) < int(cfg.get("fuzzy_min_length", 3)):
        return _unresolved("no_match")
    threshold = float(cfg.get("fuzzy_threshold", 90))
    margin = float(cfg.get("ambiguity_margin", 3))
    hits = process.extract(_jamo(key), jamo_keys, scorer=fuzz.ratio, limit=5,
                           score_cutoff=max(threshold - margin, 0))
    # Candidates below the threshold still count as rivals of the best one if within the margin.
    hits = [(k, s) for _, s, k in hits if len(k) >= int(cfg.get("fuzzy_min_length", 3))]
    if not hits or hits[0][1] < threshold:
        return _unresolved("no_match", round(hits[0][1], 1) if hits else None)
    best_key, best_score = hits[0]
    # A rival is another target: two alias keys of one registry entry (현대모비스, 모비스) are not.
    best = {_identity(t) for t in targets[best_key]}
    rivals = [k for k, s in hits[1:] if best_score - s < margin and {_identity(t) for t in targets[k]} != best]
    if len(best) > 1 or rivals:
        return _unresolved("ambiguous_fuzzy", round(best_score, 1))
    target = targets[best_key][0]
    return {**target, "match_method": "fuzzy", "match_score": round(best_score, 1), "unresolved_reason": None}


def supply_links(firm_year: pd.DataFrame, registry: pd.DataFrame, config: dict,
                 rules: NameRules) -> pd.DataFrame:
    """Resolve every named customer of one or more census years (each year against its own
    firms). `config` is the `supply` section of config/linkage.yaml."""
    if "firm_name" not in firm_year.columns:
        firm_year = firm_year.assign(firm_name=None)
    customers = customer_rows(firm_year)
    rows = []
    for year, firms in firm_year.groupby("census_year", sort=True):
        targets = _targets(registry, firms, rules)
        jamo_keys = {k: _jamo(k) for k in targets}
        # The same customer name recurs across firms (OEMs, "다수", 포스코): resolve each once.
        memo: dict[str, tuple[str, dict]] = {}
        for c in customers[customers["census_year"] == year].itertuples(index=False):
            if c.customer_name_raw not in memo:
                raw_key = normalise_name(c.customer_name_raw, rules)
                key = rules.aliases.get(raw_key, raw_key)  # = canonical_key, without normalising twice
                memo[c.customer_name_raw] = (key, _resolve_one(key, raw_key, targets, jamo_keys, config))
            key, res = memo[c.customer_name_raw]
            if res["target_record_id"] is not None and res["target_record_id"] == c.record_id:
                res = _unresolved("self", res["match_score"])
            rows.append({"record_id": c.record_id, "census_year": c.census_year, "position": c.position,
                         "share_pct": c.share_pct, "customer_name_raw": c.customer_name_raw,
                         "customer_key": key, **res})
    out = pd.DataFrame(rows, columns=LINK_COLUMNS)
    out["census_year"] = out["census_year"].astype("Int64")
    out["position"] = out["position"].astype("Int64")
    out["target_tier"] = out["target_tier"].astype("Int64")
    out["match_score"] = out["match_score"].astype("float64")
    out["share_pct"] = out["share_pct"].astype("float64")
    for col in ("customer_name_raw", "customer_key", "target_kind", "target_name", "target_record_id",
                "target_chain", "match_method", "unresolved_reason"):
        out[col] = out[col].astype("str").where(out[col].notna())
    return out
