"""KSIC autocoding from 업종명 and product text (issue 14 point 1).

    config = load_autocode_config(Path("config/classification/autocode.yaml"))
    model = AutocodeModel.load_or_train(reference_dir, cache_dir, config, agency_examples)
    coded = autocode(model, frame["industry_name"], frame["main_products"], config)
    # code, confidence, source, alternatives, abstained, determined_code (see predict.autocode)
    flags = contradictions(model, frame["ksic11_code"], frame["industry_name"], frame["main_products"], config)
    review_list(...) -> write_review(path) -> analyst fills confirmed_code -> read_confirmations(path, codes)

The model is cached in cache_dir (keep it outside git: it is derived from the official files).
agency_examples take KSIC-11 codes: convert older years' codes first.
"""

from pipeline.ksic.autocode.config import AutocodeConfig, AutocodeConfigError, load_autocode_config
from pipeline.ksic.autocode.model import AutocodeModel, AutocodeTrainingError
from pipeline.ksic.autocode.predict import AUTOCODE_COLUMNS, SOURCES, autocode, code_levels, contradictions
from pipeline.ksic.autocode.review import ReviewFileError, read_confirmations, review_list, write_review
from pipeline.ksic.autocode.sources import AutocodeSourceError

__all__ = ["AUTOCODE_COLUMNS", "SOURCES", "AutocodeConfig", "AutocodeConfigError", "AutocodeModel", "AutocodeSourceError",
           "AutocodeTrainingError", "ReviewFileError", "autocode", "code_levels", "contradictions", "load_autocode_config",
           "read_confirmations", "review_list", "write_review"]
