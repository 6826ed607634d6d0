"""Serializer fields that take a JSON value only of the type the schema names.

DRF's fields are lenient for form posts: a CharField takes ``0``, a BooleanField ``"yes"`` or
``1``, an IntegerField ``"5"``. The API takes JSON only, and its schema says ``string``,
``boolean`` and ``integer``: these refuse what the schema refuses, so a client learns one
set of rules (and schemathesis finds invalid data refused).
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class StrictCharField(serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "format": "decimal", "pattern": r"^\d{1,4}(?:\.\d)?$"},
            {"type": "number", "minimum": 0, "maximum": 9999},
        ],
        "description": 'Hours, at most one decimal place: a string such as `"1.5"` or a '
        "JSON number. Answers give it as a string.",
    }
)
class HoursField(serializers.DecimalField):
    """Hours of support (0 to 9,999, in tenths), as a decimal string or a JSON number.

    DRF's DecimalField takes both, and clients send both; the schema says so, rather than
    ``string`` alone, so a generated client may send either and a schema check finds the
    server doing what it documents.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 1)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 9999)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)
