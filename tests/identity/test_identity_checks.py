"""The blocking check behind firm_identity: no firm_id may carry two valid business numbers."""

import pandas as pd

from pipeline.identity.checks import firms_with_two_brns


def test_a_firm_with_two_valid_brns_is_found_and_masked_or_invalid_numbers_do_not_count():
    firm_year = pd.DataFrame({
        "record_id": ["2023-1", "2024-1", "2023-2", "2024-2", "2024-3"],
        "brn": ["134-86-72683", "1208200052", "2208869974", "608127****", "1168200278"],  # last: bad check digit
    })
    identity = pd.DataFrame({"record_id": ["2023-1", "2024-1", "2023-2", "2024-2", "2024-3"],
                             "firm_id": ["F1", "F1", "F2", "F2", "F2"]})
    assert firms_with_two_brns(identity, firm_year) == ["F1"]
    assert firms_with_two_brns(identity.assign(firm_id=["F1", "F3", "F2", "F2", "F2"]), firm_year) == []
