"""Serializer fields that take a JSON value only of the type the schema names.

DRF's fields are lenient for form posts: a CharField takes ``0``, a BooleanField ``"yes"`` or
``1``, an IntegerField ``"5"``. The API takes JSON only, and its schema says ``string``,
``boolean`` and ``integer``: these refuse what the schema refuses, so a client learns one
set of rules (and schemathesis finds invalid data refused).
"""

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
