"""The contact's details of a draft recorded on someone's behalf, corrected through the API
(issue 15): after ``POST /api/v1/referrals/`` with ``received_via``, or a national form
import, whose sender's sector the form does not say and ``submit`` requires.

Who may and what is checked are the service's (``services.referral_update_contact``).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers

from prevent_cms.errors import PreconditionFailed, StaleEdit

from .. import services
from .serializers import FullReferralSerializer, ReferrerContactSerializer
from .views import CaseView, _expected_version, detail_response


class ReferrerContactPatchSerializer(ReferrerContactSerializer):
    """Any of the contact's details; those not sent stay as they are. A field this body does
    not have is refused (400 naming it), never silently dropped."""

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: ["Remove this field: it is not a contact detail."] for name in unknown}
            )
        return attrs


@extend_schema(
    summary="Correct the contact's details of a draft recorded on someone's behalf",
    description="For the Prevent officer or Prevent lead who recorded the draft, while it is "
    "a draft: any of `name`, `organisation`, `sector`, `phone`, `email` of the person who "
    "raised the concern; what is not sent stays. `sector` may be left empty on a draft (a "
    "national form does not say it) but `submit` answers 400 naming `contact_sector` "
    "until it is given. Send the case's `ETag` (from `GET /api/v1/referrals/{id}/`) as "
    "`If-Match` to change it only if nobody saved since (412 otherwise). Answers the "
    "referral as `GET` does. Not a draft: 409; a referrer's own referral, or a bad "
    "value: 400 naming the field; someone else's draft: 404. Audited with the names of "
    "the fields changed.",
    request=ReferrerContactPatchSerializer(partial=True),
    responses={200: FullReferralSerializer},
    examples=[
        OpenApiExample(
            "The sender's sector, after importing their form",
            request_only=True,
            value={"sector": "education"},
        )
    ],
    tags=["referrals"],
)
class ReferralReferrerContact(CaseView):
    etag_methods = ("PATCH",)
    if_match_methods = ("PATCH",)

    def patch(self, request, pk):
        referral = self.get_case()
        body = ReferrerContactPatchSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        if_match = _expected_version(request, referral)
        try:
            referral = services.referral_update_contact(
                referral_id=referral.pk,
                actor=request.user,
                referrer_contact=dict(body.validated_data),
                expected_version=if_match,
            )
        except StaleEdit as error:
            raise PreconditionFailed from error
        return detail_response(request, referral)
