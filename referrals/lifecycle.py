"""The lifecycle's registries, and the reader of what each transition declares.

Each transition on ``Referral`` (models.py) declares, in its ``custom=`` (django-fsm-2), all
there is to know about it besides its source and target (see ``Step``): its label, whether a
rationale is required, the e-mails it queues, the guards it requires, the hooks run after it,
and the buttons that offer it. The callables those names stand for are registered here by the
app that owns the data they read, so ``channel`` can guard and follow Channel steps without
``referrals`` importing ``channel`` (DESIGN.md §2 import direction).

The registries **fail closed**: a transition whose permission, guard or hook is not registered
cannot run (``LifecycleMisconfigured``), and the system check ``referrals.E001``–``E003``
(checks.py) stops ``manage.py check`` and every server start before it gets that far.

A guard is ``guard(referral, payload) -> dict[field, message]``; an empty dict means it
holds. With ``payload=None`` only data already stored is checked (for listing the
transitions available now); with a payload, the request's own data is checked as well.
A hook is ``hook(referral, *, name, from_state, actor) -> None``, run inside the transition's
transaction after the case is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypedDict

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext as _

Guard = Callable[[Any, dict | None], dict[str, str]]
Permission = Callable[[Any, Any], bool]
Hook = Callable[..., None]

_guards: dict[str, Guard] = {}
_permissions: dict[str, Permission] = {}
_hooks: dict[str, Hook] = {}
_every_step_hooks: dict[str, Hook] = {}


class LifecycleMisconfigured(ImproperlyConfigured):
    """A transition names a permission, guard or hook nobody registered: it must not run."""


@dataclass(frozen=True)
class Notify:
    """An e-mail (``referrals.tasks.send_referral_email`` kind) queued after commit.

    ``from_states`` limits it to steps taken from those states (None: from any).
    """

    email: str
    from_states: frozenset[str] | None = None


@dataclass(frozen=True)
class Button:
    """A button that offers the step on a page.

    ``page`` is ``"case"`` (the officer's case page, ``referrals.views.case``) or
    ``"channel"`` (the chair's Channel case page, ``channel.views.cases``); ``code`` is the
    button's name in its URL; ``reason`` the closure reason a ``close`` button closes with;
    ``order`` its place among the page's buttons.
    """

    page: str
    code: str
    label: str | Promise
    order: int
    reason: str = ""


class Step(TypedDict, total=False):
    """What a transition declares in ``custom=`` (every key is read by ``step()``)."""

    label: str | Promise
    rationale_required: bool
    notify: tuple[Notify, ...]
    guards: tuple[str, ...]
    hooks: tuple[str, ...]
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class Declared:
    name: str
    label: str | Promise
    rationale_required: bool = False
    notify: tuple[Notify, ...] = ()
    guards: tuple[str, ...] = ()
    hooks: tuple[str, ...] = ()
    buttons: tuple[Button, ...] = ()
    sources: frozenset[str] = field(default_factory=frozenset)
    target: str = ""
    has_permission: bool = False


# --- registration (from each app's ``ready``)


def register_guard(name: str, guard_fn: Guard) -> Guard:
    """Register the guard a transition names in its ``guards``. One callable per name."""
    if name in _guards and _guards[name] is not guard_fn:
        raise ImproperlyConfigured(f"Two guards are registered as {name!r}")
    _guards[name] = guard_fn
    return guard_fn


def unregister_guard(name: str) -> Guard | None:
    """Remove a guard (tests prove the system check and the runtime refuse without it)."""
    return _guards.pop(name, None)


def register_permission(name: str, permission_fn: Permission) -> Permission:
    _permissions[name] = permission_fn
    return permission_fn


def register_hook(name: str, hook_fn: Hook) -> Hook:
    """Register the after-transition hook a transition names in its ``hooks``."""
    if name in _hooks and _hooks[name] is not hook_fn:
        raise ImproperlyConfigured(f"Two hooks are registered as {name!r}")
    _hooks[name] = hook_fn
    return hook_fn


def unregister_hook(name: str) -> Hook | None:
    return _hooks.pop(name, None)


def register_every_step_hook(name: str, hook_fn: Hook) -> Hook:
    """Register a hook that runs after EVERY transition, in its transaction, after the hooks
    the step declares: for what follows any change of a case whatever the step (the
    statistics rollup), so a transition added later cannot forget it."""
    if name in _every_step_hooks and _every_step_hooks[name] is not hook_fn:
        raise ImproperlyConfigured(f"Two every-step hooks are registered as {name!r}")
    _every_step_hooks[name] = hook_fn
    return hook_fn


def registered_guards() -> frozenset[str]:
    return frozenset(_guards)


def registered_hooks() -> frozenset[str]:
    return frozenset(_hooks)


def registered_permissions() -> frozenset[str]:
    return frozenset(_permissions)


# --- reading the declarations


def _transition_methods() -> Iterator[tuple[str, Any]]:
    from .models import Referral

    state_field = Referral._meta.get_field("state")
    seen: set[str] = set()
    for transition in state_field.get_all_transitions(Referral):
        if transition.name not in seen:
            seen.add(transition.name)
            yield transition.name, getattr(Referral, transition.name)._django_fsm


def steps() -> list[Declared]:
    """Every transition with what it declares, in the order they are declared on the model."""
    return [_declared(name, meta) for name, meta in _transition_methods()]


def step(name: str) -> Declared:
    from .models import Referral

    method = getattr(Referral, name, None)
    meta = getattr(method, "_django_fsm", None)
    if meta is None:
        raise KeyError(name)
    return _declared(name, meta)


def _declared(name: str, meta) -> Declared:
    transitions = list(meta.transitions.values())
    custom: Step = transitions[0].custom
    return Declared(
        name=name,
        label=custom.get("label", ""),
        rationale_required=bool(custom.get("rationale_required")),
        notify=tuple(custom.get("notify", ())),
        guards=tuple(custom.get("guards", ())),
        hooks=tuple(custom.get("hooks", ())),
        buttons=tuple(custom.get("buttons", ())),
        sources=frozenset(str(t.source) for t in transitions),
        target=str(transitions[0].target),
        has_permission=all(t.permission is not None for t in transitions),
    )


def label(name: str) -> str:
    """The step's name as users read it (history, messages)."""
    return str(step(name).label)


def buttons(page: str) -> list[tuple[str, Button]]:
    """``(transition name, button)`` for every button on ``page``, in the page's order."""
    found = [(s.name, b) for s in steps() for b in s.buttons if b.page == page]
    return sorted(found, key=lambda pair: pair[1].order)


# --- using them (referrals.services.referral_transition, and django-fsm's conditions)


def _rationale_errors(payload: dict | None) -> dict[str, str]:
    if payload is not None and not str(payload.get("rationale") or "").strip():
        return {"rationale": _("Give the reasons for this decision")}
    return {}


def guard_errors(name: str, referral, payload: dict | None) -> dict[str, str]:
    """Everything missing for ``name`` to run, field by field. Raises
    ``LifecycleMisconfigured`` when a guard the step requires is not registered."""
    declared = step(name)
    missing = [guard_name for guard_name in declared.guards if guard_name not in _guards]
    if missing:
        raise LifecycleMisconfigured(
            f"Transition {name!r} requires guards nobody registered: {', '.join(missing)}"
        )
    errors: dict[str, str] = {}
    checks = [_guards[guard_name] for guard_name in declared.guards]
    for found in (check(referral, payload) for check in checks):
        for key, message in found.items():
            errors.setdefault(key, message)
    if declared.rationale_required:
        for key, message in _rationale_errors(payload).items():
            errors.setdefault(key, message)
    return errors


def run_hooks(name: str, referral, *, from_state: str, actor) -> None:
    """Run the after-transition hooks ``name`` declares (inside its transaction)."""
    declared = step(name)
    missing = [hook_name for hook_name in declared.hooks if hook_name not in _hooks]
    if missing:
        raise LifecycleMisconfigured(
            f"Transition {name!r} requires hooks nobody registered: {', '.join(missing)}"
        )
    for hook_name in declared.hooks:
        _hooks[hook_name](referral, name=name, from_state=from_state, actor=actor)
    for hook_fn in _every_step_hooks.values():
        hook_fn(referral, name=name, from_state=from_state, actor=actor)


def emails_for(name: str, from_state: str) -> list[str]:
    """The e-mails ``name`` queues when taken from ``from_state``."""
    return [
        notify.email
        for notify in step(name).notify
        if notify.from_states is None or from_state in notify.from_states
    ]


def may_run(name: str, referral, user) -> bool:
    permission_fn = _permissions.get(name)
    return bool(user and user.is_authenticated and permission_fn and permission_fn(referral, user))


def guard(name: str) -> Callable[[object], bool]:
    """A django-fsm condition: the stored data lets the transition run now.

    A step whose required guard is missing is never offered (and refuses to run).
    """

    def condition(referral) -> bool:
        try:
            return not guard_errors(name, referral, None)
        except LifecycleMisconfigured:
            return False

    condition.__name__ = f"{name}_guard"
    return condition


def permission(name: str) -> Callable[[object, object], bool]:
    """A django-fsm permission: this user may run the transition on this case."""

    def check(referral, user) -> bool:
        return may_run(name, referral, user)

    check.__name__ = f"{name}_permission"
    return check
