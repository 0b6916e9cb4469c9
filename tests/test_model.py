"""The Report round-trips the JSON contract of spec/output.md exactly."""

from __future__ import annotations

import json

from nianbao.model import Report

from .conftest import parsed

CONTRACT_FIELDS = {"schema_version", "source", "meta", "table_templates", "sections", "text", "tables",
                   "cells", "claims", "findings", "statements"}


def test_json_has_the_contract_fields(seed_id):
    d = parsed(seed_id).to_dict()
    assert CONTRACT_FIELDS <= set(d)
    assert d["schema_version"] == 1
    assert set(d["source"]) >= {"filename", "sha256", "format", "pages"}
    assert set(d["meta"]) >= {"agency", "region", "year", "published", "template"}
    assert set(d["tables"]) == {"active", "applications", "review_litigation"}
    for c in d["cells"]:
        assert set(c) >= {"table", "key", "value", "raw", "origin", "page", "bbox"}
        assert c["origin"] in ("layout", "text", "inferred")
    for f in d["findings"]:
        assert f["severity"] in ("error", "warning", "info")
        assert set(f) >= {"rule", "severity", "message", "cells", "claims"}


def test_round_trip_is_exact(seed_id):
    d = parsed(seed_id).to_dict()
    text = json.dumps(d, ensure_ascii=False)
    again = Report.from_json(text).to_dict()
    assert again == d
    assert json.dumps(again, ensure_ascii=False) == text


def test_sections_point_into_text(seed_id):
    r = parsed(seed_id)
    for s in r.sections:
        assert 0 <= s.start < s.end <= len(r.text)
