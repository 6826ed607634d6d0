"""The borough lead's partnership pages, split by record: boards, risk, agreements."""
