"""Validation of a year staged from a real-looking delivery (the readers' fixture workbook), with
the official KSIC tables: the contract between staging and validation, end to end."""

from pipeline.load import stage_year_file
from pipeline.validation import reconcile, validate_year
from pipeline.validation.report import format_summary, write_validation_report
from tests.load.fixtures import TEST_LAYOUT, write_titled_xlsx


def test_delivery_validates_and_reconciles(project, tmp_path):
    (project.config_dir / "layouts" / "test_contractor.yaml").write_text(TEST_LAYOUT, encoding="utf-8")
    staged = stage_year_file(write_titled_xlsx(tmp_path / "2022_census.xlsx", clean_firms=3), 2022, project)
    validated = validate_year(staged, project)
    rec = reconcile(staged, validated)
    assert rec["ok"], rec

    quarantined = validated.quarantine[validated.quarantine["severity"] == "error"]
    # 한빛금속 reported "△1" male employees (-1); the 합계 row was quarantined by staging
    by_rule = quarantined.groupby("rule")["source_row"].apply(set).to_dict()
    assert "employees_male_negative" in by_rule and "total_row" in by_rule
    assert validated.firm_names[quarantined.loc[quarantined["rule"] == "employees_male_negative", "record_id"].iloc[0]] == "한빛금속"
    # 29294 is a valid KSIC-10 code and 2022 is a 10th-revision year: nothing to say about it
    assert "ksic_other_revision" not in set(validated.flags["rule"])
    assert "ksic_not_a_code" not in set(validated.quarantine["rule"])
    # the clean firms have no business number: kept, flagged
    assert {"청정기업0", "청정기업1", "청정기업2"} <= set(validated.frame["firm_name"])
    assert (validated.flags["rule"] == "brn_missing").sum() == 3

    paths = write_validation_report(validated, project, rec)
    assert paths["html"].is_file() and paths["xlsx"].is_file()
    assert "일치 / reconciled" in format_summary(validated, rec)
