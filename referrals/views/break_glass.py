"""Break-glass: an officer or chair opens a case outside their normal scope, giving a reason.

A case URL outside someone's scope answers 404 and never says more (its existence is itself
sensitive), so break-glass has its own page: type the reference and a reason. A case the user
may open (``permissions.may_break_glass``) is opened for 24 hours; anything else — a case that
does not exist, another force's case, a case not yet at Channel for a chair — gets one neutral
message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from prevent_cms.errors import GuardFailed

from .. import services
from ..forms.case import BreakGlassForm
from ..models import Referral
from ..selectors import referral_id_for_break_glass

NEUTRAL = _lazy("No case could be opened for you with that reference. Check the reference, or ask "
            "the case's Prevent officer or Channel chair.")  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request):
    user = request.user
    if not (user.has_role(Role.PREVENT_OFFICER) or user.has_role(Role.CHANNEL_CHAIR)):
        raise PermissionDenied
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    neutral = False
    if request.method == "POST" and form.is_valid():
        referral_id = referral_id_for_break_glass(user, form.cleaned_data["reference"])
        try:
            if referral_id is None:
                raise Referral.DoesNotExist
            grant = services.referral_break_glass(
                referral_id=referral_id, actor=user, reason=form.cleaned_data["reason"]
            )
        except Referral.DoesNotExist:
            neutral = True
        except GuardFailed as error:
            for field, message in error.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            if grant is not None:
                messages.success(
                    request,
                    _("Case opened for 24 hours. Your reason is recorded in its access log."),
                )
            return redirect("referrals:detail", pk=referral_id)
    return render(
        request,
        "referrals/break_glass.html",
        {"form": form, "neutral": NEUTRAL if neutral else ""},
        status=200,
    )
