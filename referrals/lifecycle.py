"""Who may run each transition, and what must hold first, as pluggable tables.

The transitions themselves are declared on ``Referral`` (models.py). Their permission and
guard callables are looked up here by name at call time, so the Channel app can add the
guards for Channel-stage data (assessments, consent, reviews) without ``referrals``
importing ``channel`` (DESIGN.md §2 import direction).

A guard is ``guard(referral, payload) -> dict[field, message]``; an empty dict means it
holds. With ``payload=None`` only data already stored is checked (for listing the
transitions available now); with a payload, the request's own data is checked as well.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

Guard = Callable[[object, dict | None], dict[str, str]]
Permission = Callable[[object, object], bool]

_guards: dict[str, list[Guard]] = defaultdict(list)
_permissions: dict[str, Permission] = {}


def register_guard(name: str, guard_fn: Guard) -> Guard:
    _guards[name].append(guard_fn)
    return guard_fn


def register_permission(name: str, permission_fn: Permission) -> Permission:
    _permissions[name] = permission_fn
    return permission_fn


def guard_errors(name: str, referral, payload: dict | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    for guard_fn in _guards[name]:
        for field, message in guard_fn(referral, payload).items():
            errors.setdefault(field, message)
    return errors


def may_run(name: str, referral, user) -> bool:
    permission_fn = _permissions.get(name)
    return bool(user and user.is_authenticated and permission_fn and permission_fn(referral, user))


def guard(name: str) -> Callable[[object], bool]:
    """A django-fsm condition: the stored data lets the transition run now."""

    def condition(referral) -> bool:
        return not guard_errors(name, referral, None)

    condition.__name__ = f"{name}_guard"
    return condition


def permission(name: str) -> Callable[[object, object], bool]:
    """A django-fsm permission: this user may run the transition on this case."""

    def check(referral, user) -> bool:
        return may_run(name, referral, user)

    check.__name__ = f"{name}_permission"
    return check
