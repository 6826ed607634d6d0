"""Every endpoint of the project, generated from the URL conf and the OpenAPI schema.

Nothing here names a view: a new ``path()`` or a new API operation is picked up by the tests
that use these helpers without editing them.
"""

from __future__ import annotations

import functools
import re
import uuid
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*)\)")
_OPENAPI_PARAM = re.compile(r"\{(?P<name>\w+)\}")
CASE_PARAMS = {"pk", "id"}


@dataclass(frozen=True)
class Endpoint:
    """One URL pattern or API path, with its parameters as ``{name}`` placeholders."""

    template: str  # e.g. "/referrals/{pk}/decide/{name}/"
    name: str  # URL name or API operation id, for messages
    params: dict[str, str] = field(default_factory=dict)  # name -> "uuid" / "int" / "str"
    methods: tuple[str, ...] = ("GET", "POST")
    api: bool = False

    def fill(self, values: dict[str, str] | None = None) -> str:
        values = values or {}

        def sample(match: re.Match) -> str:
            name = match.group("name")
            if name in values:
                return str(values[name])
            kind = self.params.get(name, "str")
            return {"uuid": str(uuid.uuid4()), "int": "1"}.get(kind, "x")

        return _OPENAPI_PARAM.sub(sample, self.template)


def _route_template(pattern: RoutePattern) -> tuple[str, dict[str, str]]:
    params: dict[str, str] = {}

    def placeholder(match: re.Match) -> str:
        params[match.group("name")] = match.group("converter") or "str"
        return "{" + match.group("name") + "}"

    return _ROUTE_PARAM.sub(placeholder, str(pattern)), params


def _regex_template(pattern: RegexPattern) -> tuple[str, dict[str, str]]:
    params: dict[str, str] = {}
    regex = pattern._regex.lstrip("^").rstrip("$").replace("\\Z", "")

    def placeholder(match: re.Match) -> str:
        body = match.group("body")
        if "|" in body and not re.search(r"[\[\]\\*+?]", body):
            return body.split("|")[0]  # an alternation of literals: take the first
        params[match.group("name")] = "str"
        return "{" + match.group("name") + "}"

    template = _REGEX_GROUP.sub(placeholder, regex)
    template = template.replace("\\.", ".").replace(".*", "x")
    return template, params


def url_endpoints() -> list[Endpoint]:
    """Every URL pattern of the project, walked recursively from the root resolver."""
    found: list[Endpoint] = []

    def walk(patterns, prefix: str, params: dict[str, str], namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry.pattern, RoutePattern):
                part, part_params = _route_template(entry.pattern)
            else:
                part, part_params = _regex_template(entry.pattern)
            joined = {**params, **part_params}
            if isinstance(entry, URLResolver):
                ns = entry.namespace or ""
                walk(
                    entry.url_patterns,
                    prefix + part,
                    joined,
                    f"{namespace}:{ns}" if namespace and ns else ns or namespace,
                )
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
                found.append(Endpoint("/" + prefix + part, name, joined))

    walk(get_resolver().url_patterns, "", {}, "")
    return found


def api_operations() -> list[Endpoint]:
    """Every operation of the OpenAPI schema drf-spectacular generates."""
    return list(_api_operations())


@functools.cache
def _api_operations() -> tuple[Endpoint, ...]:
    """Read once per process: four test modules ask when collected, and generating the
    schema took seconds each time, in every pytest-xdist worker."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method.upper() not in {"GET", "POST", "PUT", "PATCH", "DELETE"}:
                continue
            params = {}
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "path":
                    continue
                schema_of = parameter.get("schema", {})
                kind = "uuid" if schema_of.get("format") == "uuid" else schema_of.get("type", "str")
                params[parameter["name"]] = "int" if kind == "integer" else kind
            for name in _OPENAPI_PARAM.findall(path):
                params.setdefault(name, "str")
            found.append(
                Endpoint(
                    path,
                    operation.get("operationId", path),
                    params,
                    methods=(method.upper(),),
                    api=True,
                )
            )
    return tuple(found)


# Pages and operations that list cases (or search them) rather than reach one by its id: the
# matrix reads each as every person and checks every row against what that person may see.
# ``term`` is a search term (a subject's last name); reads that take none ignore it.
CASE_LISTS: dict[str, tuple[bool, object]] = {
    "referrals:queue (search)": (
        False,
        lambda client, term: client.post(reverse("referrals:queue"), {"q": term}, follow=True),
    ),
    "referrals:mine": (False, lambda client, term: client.get(reverse("referrals:mine"))),
    "api:referral-list": (True, lambda client, term: client.get(reverse("api:referral-list"))),
    "api:referral-search": (
        True,
        lambda client, term: client.post(
            reverse("api:referral-search"), {"q": term}, content_type="application/json"
        ),
    ),
    # Issue 17: the Today list names cases (not a paginated list, so read as a page).
    "home (Today)": (False, lambda client, term: client.get(reverse("home"))),
    "api:my-work": (False, lambda client, term: client.get(reverse("api:my-work"))),
    "api:clock-forecast": (
        True,
        lambda client, term: client.get(reverse("api:clock-forecast") + "?days=14"),
    ),
}
