"""One identity per firm across census years (firm_id), with analyst review of uncertain links."""
