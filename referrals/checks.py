"""System checks that fail closed on the lifecycle's registries (``manage.py check``).

A transition names its guards and hooks (``Referral``'s ``custom=``); the apps owning the
data register them from their ``ready``. If an app stopped registering one, ``adopt`` could
otherwise run without its assessment: these checks stop every ``manage.py`` command and
server start first, and ``lifecycle`` refuses the step at run time as a second line.
"""

from django.core import checks

from . import lifecycle
from .choices import TransitionName


@checks.register()
def lifecycle_declarations_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    guards = lifecycle.registered_guards()
    hooks = lifecycle.registered_hooks()
    permissions = lifecycle.registered_permissions()
    steps = lifecycle.steps()
    for step in steps:
        obj = f"referrals.Referral.{step.name}"
        if not step.has_permission or step.name not in permissions:
            errors.append(
                checks.Error(
                    f"Transition {step.name!r} has no permission registered.",
                    hint="Declare permission=lifecycle.permission(name) on the transition and "
                    "add it to referrals.permissions.TRANSITION_PERMISSIONS.",
                    obj=obj,
                    id="referrals.E001",
                )
            )
        for guard_name in step.guards:
            if guard_name not in guards:
                errors.append(
                    checks.Error(
                        f"Transition {step.name!r} requires guard {guard_name!r}, "
                        "which no app registered.",
                        hint="Call lifecycle.register_guard(name, guard) from the owning "
                        "app's ready() (referrals.guards, channel.guards).",
                        obj=obj,
                        id="referrals.E002",
                    )
                )
        for hook_name in step.hooks:
            if hook_name not in hooks:
                errors.append(
                    checks.Error(
                        f"Transition {step.name!r} requires after-transition hook "
                        f"{hook_name!r}, which no app registered.",
                        hint="Call lifecycle.register_hook(name, hook) from the owning "
                        "app's ready() (channel.hooks).",
                        obj=obj,
                        id="referrals.E003",
                    )
                )
        if not str(step.label):
            errors.append(
                checks.Error(
                    f"Transition {step.name!r} declares no label.",
                    hint="Add custom=Step(label=...) to the transition.",
                    obj=obj,
                    id="referrals.E004",
                )
            )
    required = {name for step in steps for name in step.guards}
    for guard_name in sorted(guards - required):
        errors.append(
            checks.Warning(
                f"Guard {guard_name!r} is registered but no transition requires it.",
                hint="A transition's guards were renamed or dropped: it may now run unguarded.",
                obj="referrals.Referral",
                id="referrals.W001",
            )
        )
    declared = {step.name for step in steps}
    if declared != set(TransitionName.values):
        errors.append(
            checks.Error(
                "referrals.choices.TransitionName and the transitions on Referral differ: "
                f"{sorted(declared ^ set(TransitionName.values))}.",
                obj="referrals.Referral",
                id="referrals.E005",
            )
        )
    return errors
