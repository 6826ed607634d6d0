"""The person index's API (issue 18): a person, a case's matches, link and unlink, and the
transfer steps ``transfer``, ``accept_transfer`` and ``decline_transfer``.

Thin: each view finds the case through the referral visibility selector (404 outside the
caller's scope) or, for the receiving side of a transfer, through the transfer addressed to
them, and calls ``persons.services``.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import signed_in
from prevent_cms.api.idempotency import IdempotentPost
from prevent_cms.api.lists import ListConventions
from prevent_cms.api.responses import created
from referrals import services as referral_services
from referrals.api.views import ERRORS, CaseView
from referrals.selectors import referral_possible_duplicates

from .. import services
from ..selectors import person_get_visible, person_view
from .serializers import (
    IndexedPersonSerializer,
    PersonIdentifierInputSerializer,
    PersonIdentifierSerializer,
    PersonLinkInputSerializer,
    PersonMatchSerializer,
    PersonUnlinkInputSerializer,
    TransferDeclineInputSerializer,
    TransferInputSerializer,
    TransferSerializer,
)

CASE = "4f6d2a8e-3b1c-4d5e-9f70-1a2b3c4d5e6f"
PERSON = "7c4d5e6f-8a9b-4c0d-9e1f-2a3b4c5d6e7f"
AREA = "6b3c4d5e-7f8a-4b9c-8d1e-2f3a4b5c6d7e"
FORCE = "9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a"
TRANSFER_EXAMPLE = OpenApiExample(
    "A pending transfer",
    response_only=True,
    value={
        "id": "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d",
        "referral": CASE,
        "status": "pending",
        "from_local_authority": "5a2b3c4d-6e7f-4a8b-9c0d-1e2f3a4b5c6d",
        "from_police_force": "0b7c6d5e-4f3a-4b2c-9d1e-0f9a8b7c6d5e",
        "to_local_authority": AREA,
        "to_police_force": FORCE,
        "reason": "The family moved to Westford in November.",
        "requested_at": "2026-12-07T09:00:00Z",
        "decided_at": None,
        "decline_reason": "",
    },
)
PERSON_EXAMPLE = {
    "id": PERSON,
    "names": [
        {
            "first_name": "Amie",
            "last_name": "Browne",
            "is_alias": False,
            "date_of_birth": "2007-04-03",
        },
        {
            "first_name": "Amy",
            "last_name": "Browser",
            "is_alias": False,
            "date_of_birth": "2007-04-03",
        },
    ],
    "addresses": [
        {
            "address": "12 Mill Lane, Northbridge",
            "postcode": "NB12AA",
            "lived_from": "2025-03-01",
            "lived_to": None,
        }
    ],
    "identifiers": [],
    "referrals": [
        {
            "id": CASE,
            "reference": "PRV-2025-000123",
            "submitted_at": "2025-03-01T10:00:00Z",
            "local_authority": "Northbridge",
            "stage": "Closed",
            "outcome": "No further action",
        }
    ],
}
MATCH_EXAMPLE = {
    "count": 1,
    "next": None,
    "previous": None,
    "results": [
        {
            "referral": CASE,
            "reference": "PRV-2025-000123",
            "name": "Amie Browne",
            "submitted_at": "2025-03-01T10:00:00Z",
            "stage": "Closed",
            "person": PERSON,
            "score": 95,
            "reasons": [
                {"code": "name_sounds_alike", "label": "Name sounds alike"},
                {"code": "dob_exact", "label": "Same date of birth"},
                {"code": "same_postcode", "label": "Same postcode"},
            ],
            "rejected": False,
        }
    ],
    "other_areas": ["Thames Valley Police"],
}
# What a transfer step with a body answers: the transfer, or the error family's 400-409.
TRANSFER_STEP_RESPONSES = {
    200: TransferSerializer,
    400: ERRORS[400],
    403: ERRORS[403],
    404: ERRORS[404],
    409: ERRORS[409],
}


@extend_schema(
    summary="A person in the person index",
    description=(
        "The person's names, dates of birth, addresses and identifiers as the referrals the "
        "caller sees fully gave them, and every referral of theirs the caller may see, oldest "
        "first, each with the stage and outcome the caller may see. For the Prevent officer of "
        "a force holding one of their referrals, or the Channel chair of one of their Channel "
        "cases; 404 for anyone else. Every read is recorded in each case's access log."
    ),
    responses={200: IndexedPersonSerializer, 404: ERRORS[404]},
    examples=[OpenApiExample("A person", response_only=True, value=PERSON_EXAMPLE)],
    tags=["persons"],
)
class PersonDetail(APIView):
    def get(self, request, pk):
        actor = signed_in(request)
        person = person_get_visible(actor, pk)
        view = person_view(actor, person)
        referral_services.referral_record_views(
            actor=actor, referral_ids=[case.referral.pk for case in view.cases], via="api_person"
        )
        return Response(IndexedPersonSerializer(view).data)


@extend_schema(
    summary="Possible earlier referrals of the case's person",
    description=(
        "Candidates from the person index, best match first, each with its score out of 100 "
        "and the reasons (names by sound and spelling, other names, date of birth exact, "
        "swapped or a year apart, address, NHS number or UPN). Only referrals the caller may "
        "open are listed, each with the stage the caller may see. For a Prevent officer, "
        "`other_areas` names the forces holding a possible match the caller may not open, to "
        "ask their Prevent team, and nothing else about it; for everyone else it is empty. For "
        "the case's officer and chair. The read is recorded in the access log."
    ),
    responses={
        200: PersonMatchSerializer(many=True),
        403: ERRORS[403],
        404: ERRORS[404],
    },
    examples=[OpenApiExample("Matches", response_only=True, value=MATCH_EXAMPLE)],
    tags=["persons"],
)
class ReferralMatches(ListConventions, CaseView):
    def get(self, request, pk):
        actor = signed_in(request)
        referral = self.get_full_case()
        referral_services.referral_record_view(actor=actor, referral=referral, via="api_matches")
        found = referral_possible_duplicates(actor, referral, limit=50)
        referral_services.referral_list_record_view(
            actor=actor,
            references=[match.referral.reference for match in found.matches],
            via="api_matches",
        )
        response = self.page_response(
            found.matches, lambda rows: PersonMatchSerializer(rows, many=True).data
        )
        response.data["other_areas"] = found.other_areas
        return response


@extend_schema(
    summary="Link the case to a person",
    description=(
        "Confirm that the case's person is `person` (from the case's matches), with the "
        "reason. The case joins that person's history, with the names and addresses it gave. "
        "Linking to the person it already belongs to changes nothing. For the case's Prevent "
        "officer, or its Channel chair for a Channel case; the person must have a referral "
        "the caller may link (else 404). Audited and shown in the timeline. Answers the person."
    ),
    request=PersonLinkInputSerializer,
    responses={200: IndexedPersonSerializer, 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404]},
    examples=[
        OpenApiExample(
            "Link",
            request_only=True,
            value={"person": PERSON, "reason": "Same school, mother and date of birth."},
        ),
        OpenApiExample("The person", response_only=True, value=PERSON_EXAMPLE),
    ],
    tags=["persons"],
)
class ReferralLink(CaseView):
    def post(self, request, pk):
        actor = signed_in(request)
        referral = self.get_case()
        body = PersonLinkInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = services.referral_link_person(
            referral_id=referral.pk,
            actor=actor,
            person_id=body.validated_data["person"],
            reason=body.validated_data["reason"],
        )
        view = person_view(actor, person_get_visible(actor, str(referral.person_id)))
        return Response(IndexedPersonSerializer(view).data)


@extend_schema(
    summary="Unlink the case from its person",
    description=(
        "Undo a link (mistakes happen), with the reason: the case becomes a person of its own "
        "again, taking back the names and addresses it gave. 409 when it is not linked to "
        "another referral's person. For the case's Prevent officer, or its Channel chair for a "
        "Channel case. Audited and shown in the timeline. Answers the case's own person."
    ),
    request=PersonUnlinkInputSerializer,
    responses={
        200: IndexedPersonSerializer,
        400: ERRORS[400],
        403: ERRORS[403],
        404: ERRORS[404],
        409: ERRORS[409],
    },
    examples=[
        OpenApiExample("Unlink", request_only=True, value={"reason": "Cousins, not the same."}),
        OpenApiExample("The case's own person", response_only=True, value=PERSON_EXAMPLE),
    ],
    tags=["persons"],
)
class ReferralUnlink(CaseView):
    def post(self, request, pk):
        actor = signed_in(request)
        referral = self.get_case()
        body = PersonUnlinkInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = services.referral_unlink_person(
            referral_id=referral.pk, actor=actor, reason=body.validated_data["reason"]
        )
        view = person_view(actor, person_get_visible(actor, str(referral.person_id)))
        return Response(IndexedPersonSerializer(view).data)


@extend_schema(
    summary="Record an NHS number or UPN of the case's person",
    description=(
        "Record a number that identifies the case's person, as this case gives it: `kind` "
        "`nhs_number` (10 digits; the last is a check digit, modulus 11, so a mistyped digit "
        "is refused) or `upn` (a unique pupil number, whose first letter is a check letter). "
        "Spaces and hyphens are ignored. Later referrals giving the same number are matched to "
        "the person above everything else; unlinking the case takes the number with it. For "
        "the case's Prevent officer, or its Channel chair for a Channel case (403 for anyone "
        "else who sees it, 404 outside scope); 409 when the person already has that number. "
        "Audited. Answers the number; `Location` is the person, whose `identifiers` list it."
    ),
    request=PersonIdentifierInputSerializer,
    responses={
        201: PersonIdentifierSerializer,
        400: ERRORS[400],
        403: ERRORS[403],
        404: ERRORS[404],
        409: ERRORS[409],
    },
    examples=[
        OpenApiExample(
            "An NHS number",
            request_only=True,
            value={"kind": "nhs_number", "value": "943 476 5919"},
        ),
        OpenApiExample(
            "The number recorded",
            response_only=True,
            status_codes=["201"],
            value={"id": 41, "kind": "nhs_number", "value": "9434765919"},
        ),
    ],
    tags=["persons"],
)
class ReferralIdentifiers(IdempotentPost, CaseView):
    def post(self, request, pk):
        actor = signed_in(request)
        referral = self.get_case()
        body = PersonIdentifierInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        identifier = services.person_identifier_record(
            referral_id=referral.pk,
            actor=actor,
            kind=body.validated_data["kind"],
            value=body.validated_data["value"],
        )
        data = PersonIdentifierSerializer(identifier).data
        return created(request, data, "person-detail", identifier.person_id)


@extend_schema(
    summary="Transition: ask another area to take the case over (`transfer`)",
    description=(
        "The person moved: ask the local authority `to_local_authority` (and its force; "
        "`to_police_force`, if given, must be that local authority's) to take the case over, "
        "with the `reason`. The case keeps its state and its area until the receiving side "
        "accepts; the sending and receiving teams are told. By the case's Prevent officer, or "
        "its Channel chair for a Channel case (403 for anyone else who sees it, 404 outside "
        "scope). 409 for a closed case or when a transfer is already pending; 400 naming the "
        "missing or contradictory field. Answers the pending transfer."
    ),
    request=TransferInputSerializer,
    responses=TRANSFER_STEP_RESPONSES,
    examples=[
        OpenApiExample(
            "Transfer",
            request_only=True,
            value={
                "to_local_authority": AREA,
                "to_police_force": FORCE,
                "reason": "The family moved to Westford in November.",
            },
        ),
        TRANSFER_EXAMPLE,
    ],
    tags=["referrals"],
)
class ReferralTransfer(CaseView):
    def post(self, request, pk):
        actor = signed_in(request)
        referral = self.get_case()
        body = TransferInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        transfer = services.referral_transfer(
            referral_id=referral.pk,
            actor=actor,
            to_local_authority_id=body.validated_data.get("to_local_authority"),
            to_police_force_id=body.validated_data.get("to_police_force"),
            reason=body.validated_data.get("reason", ""),
        )
        return Response(TransferSerializer(transfer).data)


@extend_schema(
    summary="Transition: accept a transfer into your area (`accept_transfer`)",
    description=(
        "The receiving force's Prevent officer (for a Channel case, the receiving local "
        "authority's chair) takes the case over: it continues in the new area at the same "
        "stage, with its history, and from this moment the receiving area sees it and the "
        "sending area no longer does. 404 unless a transfer of the case is addressed to the "
        "caller or the caller sees the case; 403 for someone who sees it but may not accept; "
        "409 when no transfer is pending or the case closed meanwhile. No body. Answers the "
        "accepted transfer."
    ),
    request=None,
    responses={200: TransferSerializer, 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409]},
    examples=[TRANSFER_EXAMPLE],
    tags=["referrals"],
)
class ReferralAcceptTransfer(APIView):
    def post(self, request, pk):
        actor = signed_in(request)
        referral = services.referral_accept_transfer(referral_id=pk, actor=actor)
        transfer = referral.transfers.order_by("-decided_at").first()
        return Response(TransferSerializer(transfer).data)


@extend_schema(
    summary="Transition: decline or withdraw a transfer (`decline_transfer`)",
    description=(
        "End the pending transfer with a `reason`: declined by the receiving side, or "
        "withdrawn by the case's officer or chair. The case stays where it is; both teams are "
        "told. 404 unless a transfer of the case is addressed to the caller or the caller "
        "sees the case; 409 when none is pending; 400 without a reason. Answers the transfer."
    ),
    request=TransferDeclineInputSerializer,
    responses=TRANSFER_STEP_RESPONSES,
    examples=[
        OpenApiExample(
            "Decline", request_only=True, value={"reason": "Not known at that address."}
        ),
        TRANSFER_EXAMPLE,
    ],
    tags=["referrals"],
)
class ReferralDeclineTransfer(APIView):
    def post(self, request, pk):
        actor = signed_in(request)
        body = TransferDeclineInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        transfer = services.referral_decline_transfer(
            referral_id=pk, actor=actor, reason=body.validated_data.get("reason", "")
        )
        return Response(TransferSerializer(transfer).data)
