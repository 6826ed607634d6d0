"""The service dialect of CONTRIBUTING.md, checked over every service module.

Every public function of a services module is keyword-only and annotated, parameters and
return; the person acting is ``actor: User`` whatever the service (never referrer, officer,
author, uploaded_by, chair, user or owner); the rows a service changes are named by id.
"""

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "accounts",
    "channel",
    "consultations",
    "partnership",
    "persons",
    "referrals",
    "reports",
    "training",
]
OTHER_NAMES_FOR_THE_ACTOR = {"referrer", "officer", "author", "uploaded_by", "chair", "owner"}


def service_modules() -> list[str]:
    names = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("services*")):
            if "migrations" in path.parts:
                continue
            if path.is_dir():
                package = ".".join(path.relative_to(ROOT).parts)
                names += [f"{package}.{m.name}" for m in pkgutil.iter_modules([str(path)])]
            elif path.suffix == ".py":
                names.append(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return names


def services() -> list[tuple[str, object]]:
    found = []
    for module_name in service_modules():
        module = importlib.import_module(module_name)
        for name, function in vars(module).items():
            if (
                inspect.isfunction(function)
                and not name.startswith("_")
                and function.__module__ == module_name
            ):
                found.append((f"{module_name}.{name}", function))
    return found


SERVICES = services()


def test_the_service_modules_are_found():
    names = {name for name, _function in SERVICES}
    assert "referrals.services.referral_transition" in names
    assert "channel.services.panels.panel_create" in names
    assert "training.imports.services.import_batch_run" in names
    assert len(SERVICES) > 60


@pytest.mark.parametrize(("name", "function"), SERVICES, ids=[n for n, _f in SERVICES])
def test_service_is_keyword_only_and_typed(name, function):
    signature = inspect.signature(inspect.unwrap(function))
    positional = [
        p.name
        for p in signature.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    assert positional == [], f"{name}: positional parameters {positional}"
    untyped = [
        p.name for p in signature.parameters.values() if p.annotation is inspect.Parameter.empty
    ]
    assert untyped == [], f"{name}: parameters without a type {untyped}"
    assert signature.return_annotation is not inspect.Signature.empty, f"{name}: no return type"


@pytest.mark.parametrize(("name", "function"), SERVICES, ids=[n for n, _f in SERVICES])
def test_the_person_acting_is_always_actor(name, function):
    signature = inspect.signature(inspect.unwrap(function))
    others = OTHER_NAMES_FOR_THE_ACTOR & set(signature.parameters)
    assert not others, f"{name}: the acting user is called {sorted(others)}, not actor"
    if "actor" in signature.parameters:
        assert signature.parameters["actor"].annotation in ("User", "User | None"), name


def test_split_modules_are_packages_without_re_exports():
    """channel/services.py and referrals/forms.py were split by sub-domain; callers import
    each piece from its module, and the synthetic data generator is bench code."""
    for package in ("channel.services", "referrals.forms"):
        module = importlib.import_module(package)
        assert hasattr(module, "__path__"), package
        public = [n for n in vars(module) if not n.startswith("_")]
        submodules = {m.name for m in pkgutil.iter_modules(module.__path__)}
        assert set(public) <= submodules, f"{package} re-exports {set(public) - submodules}"
    assert not (ROOT / "prevent_cms" / "synthetic.py").exists()
    assert (ROOT / "bench" / "synthetic.py").exists()
