"""The official reference tables: KSIC codes of every configured revision, the 연계표, the KICOX
complex list with canonical names, imported from the files named in config/settings.yaml."""


import dagster as dg

from assets.automation import REFERENCE
from assets.metadata import managed
from assets.resources import CensusSettings
from pipeline.classify.complexes import complex_catalogue
from pipeline.ksic.reference import load_reference


def build(code_version: str) -> list:
    @dg.multi_asset(
        specs=managed([dg.AssetSpec("ksic", automation_condition=REFERENCE, description="KSIC codes of every configured revision (Statistics Korea)."),
               dg.AssetSpec("ksic_concordance", automation_condition=REFERENCE, description="The official 연계표 between revisions."),
               dg.AssetSpec("industrial_complex", automation_condition=REFERENCE, description="KICOX complexes with canonical names.")]),
        group_name="reference", code_version=code_version, can_subset=False,
    )
    def ksic_reference(census_settings: CensusSettings):
        settings = census_settings.load()
        ref = load_reference(settings)
        kicox = settings.classification.kicox_complexes
        complexes, _, _ = complex_catalogue(settings.reference_dir / kicox.file, kicox.sheet,
                                            settings.config_path("classification/complexes.yaml"))
        per_level = {f"{r}/{lv}": int(n) for (r, lv), n in ref.ksic.groupby(["revision", "level"]).size().items()}
        relations = {f"{a}->{b} {rel}": int(n) for (a, b, rel), n in ref.concordance.groupby(["from_revision", "to_revision", "relation"]).size().items()}
        yield dg.Output(ref.ksic, output_name="ksic", metadata={"codes_per_level": dg.MetadataValue.json(per_level)})
        yield dg.Output(ref.concordance, output_name="ksic_concordance", metadata={"relations": dg.MetadataValue.json(relations)})
        yield dg.Output(complexes, output_name="industrial_complex")

    return [ksic_reference]
