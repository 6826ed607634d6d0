"""Serializer fields take what the schema says they take, and the schema says what they take."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from rest_framework import serializers

from prevent_cms.api.fields import HoursField


class Hours(serializers.Serializer):
    hours = HoursField()


@pytest.mark.parametrize(
    ("sent", "kept"), [("1.5", "1.5"), (2, "2"), (2.5, "2.5"), ("0", "0"), ("9999", "9999")]
)
def test_hours_take_a_decimal_string_or_a_json_number(sent, kept):
    form = Hours(data={"hours": sent})
    assert form.is_valid(), form.errors
    assert form.validated_data["hours"] == Decimal(kept)


@pytest.mark.parametrize("sent", [True, "1.55", 1.25, -1, "-1", 10000, "abc", ""])
def test_hours_refuse_what_the_schema_refuses(sent):
    form = Hours(data={"hours": sent})
    assert not form.is_valid()
    assert "hours" in form.errors


def test_the_schema_says_hours_are_a_decimal_string_or_a_number(tmp_path):
    out = tmp_path / "schema.json"
    call_command("spectacular", "--file", str(out), "--format", "openapi-json")
    schema = json.loads(out.read_text())
    for name in ("InterventionInRequest", "SessionInRequest"):
        hours = schema["components"]["schemas"][name]["properties"]["hours"]
        branches = hours.get("oneOf") or hours["anyOf"]
        kinds = {branch["type"] for branch in branches}
        assert kinds == {"string", "number"}, (name, hours)
