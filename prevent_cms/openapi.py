"""OpenAPI schema post-processing (drf-spectacular hooks)."""

from __future__ import annotations


def overlapping_one_of_as_any_of(result, generator, request, public):
    """``oneOf`` without a discriminator becomes ``anyOf``.

    A case's detail is answered in one of several nested shapes (coarse ⊂ panel ⊂ full, by
    what the caller may see). A full answer also satisfies the smaller shapes, which breaks
    ``oneOf`` ("exactly one") though it is exactly what the API means: "one of these views".
    """

    def walk(node):
        if isinstance(node, dict):
            if "oneOf" in node and "discriminator" not in node:
                node["anyOf"] = node.pop("oneOf")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result.get("components", {}))
    return result
