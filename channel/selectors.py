"""Every read in Channel, already scoped to the caller: one selector per model.

Case-linked rows (assessments, consent, plans, reviews, agenda items) are visible exactly
when their case is visible with panel or full access through ``referrals_visible_to`` —
never to a referrer, who sees only a coarse status. Intervention providers see only the
interventions allocated to them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from accounts.models import Role, User
from referrals.choices import State
from referrals.models import Referral, ReferralTransition
from referrals.selectors import referrals_visible_to

from .choices import PanelDecision
from .models import (
    AgencyUpdate,
    AgendaItem,
    AssessmentFramework,
    Consent,
    Intervention,
    InterventionSession,
    Panel,
    PanelAction,
    PanelPack,
    Review,
    SupportPlan,
    VulnerabilityAssessment,
)
from .permissions import is_chair_of_panel

REVIEW_INTERVAL_DAYS = 30
PANEL_WAIT_DAYS = 30
POST_EXIT_DUE = {"post_exit_6_months": 182, "post_exit_12_months": 365}
OPEN_CHANNEL_STATES = (State.AWAITING_CONSENT, State.SUPPORT, State.POST_EXIT_REVIEW)


def support_review_interval_days() -> int:
    """Days between support reviews, counted from adoption, then from the latest review."""
    return int(getattr(settings, "CHANNEL_SUPPORT_REVIEW_INTERVAL_DAYS", REVIEW_INTERVAL_DAYS))


def post_exit_review_opens(kind: str, exited_on: datetime.date) -> datetime.date:
    """The first day a post-exit review of ``kind`` may be recorded: 5½ months after exit for
    the 6-month review, 11½ for the 12-month one, by default (both settings, in days)."""
    if kind == "post_exit_6_months":
        days = getattr(settings, "CHANNEL_POST_EXIT_6_MONTH_REVIEW_OPENS_DAYS", 167)
    else:
        days = getattr(settings, "CHANNEL_POST_EXIT_12_MONTH_REVIEW_OPENS_DAYS", 350)
    return exited_on + datetime.timedelta(days=int(days))


def channel_cases_visible_to(user) -> QuerySet[Referral]:
    """Cases whose Channel content the user may see: full access or a panel grant."""
    queryset = referrals_visible_to(user)
    if not user.is_authenticated:
        return queryset
    clauses = Q(pk__in=[])
    if user.has_role(Role.CHANNEL_CHAIR):
        clauses |= Q(local_authority_id=user.local_authority_id, channel_entered_at__isnull=False)
    if user.has_role(Role.PREVENT_OFFICER):
        clauses |= Q(police_force_id=user.police_force_id) & ~Q(state=State.DRAFT)
    if user.has_role(Role.PANEL_MEMBER):
        clauses |= Q(panel_grant=True) & ~Q(state__in=[State.DRAFT, State.CLOSED])
    return queryset.filter(clauses)


def panels_visible_to(user) -> QuerySet[Panel]:
    """The chair's local authority's panels, and any panel the user is a member of."""
    if not user.is_authenticated or not user.is_active or not user.agency_id:
        return Panel.objects.none()
    scope = Q(members=user)
    if user.has_role(Role.CHANNEL_CHAIR):
        scope |= Q(local_authority_id=user.local_authority_id)
    ids = Panel.objects.filter(scope).values("pk")
    return Panel.objects.filter(pk__in=ids).select_related("chair", "local_authority")


def agenda_items_visible_to(user) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(
        panel__in=panels_visible_to(user), referral__in=channel_cases_visible_to(user)
    ).select_related("referral", "referral__subject", "panel", "outcome")


def panel_actions_visible_to(user) -> QuerySet[PanelAction]:
    cases = channel_cases_visible_to(user)
    return PanelAction.objects.filter(panel__in=panels_visible_to(user)).filter(
        Q(referral__isnull=True) | Q(referral__in=cases)
    )


def agency_updates_visible_to(user) -> QuerySet[AgencyUpdate]:
    return AgencyUpdate.objects.filter(referral__in=channel_cases_visible_to(user))


def frameworks_visible_to(user) -> QuerySet[AssessmentFramework]:
    if not user.is_authenticated:
        return AssessmentFramework.objects.none()
    return AssessmentFramework.objects.filter(active=True).prefetch_related("factors")


def vulnerability_assessments_visible_to(user) -> QuerySet[VulnerabilityAssessment]:
    return VulnerabilityAssessment.objects.filter(
        referral__in=channel_cases_visible_to(user)
    ).select_related("framework", "assessor")


def consents_visible_to(user) -> QuerySet[Consent]:
    return Consent.objects.filter(referral__in=channel_cases_visible_to(user))


def support_plans_visible_to(user) -> QuerySet[SupportPlan]:
    return SupportPlan.objects.filter(referral__in=channel_cases_visible_to(user))


def interventions_visible_to(user) -> QuerySet[Intervention]:
    """Case-level access, or exactly the interventions allocated to this provider."""
    if not user.is_authenticated or not user.is_active:
        return Intervention.objects.none()
    scope = Q(referral__in=channel_cases_visible_to(user))
    if user.has_role(Role.INTERVENTION_PROVIDER):
        scope |= Q(provider=user) & ~Q(referral__state=State.CLOSED)
    return Intervention.objects.filter(scope).select_related("referral", "provider")


def interventions_with_hours(queryset: QuerySet[Intervention]) -> QuerySet[Intervention]:
    """``queryset`` (from ``interventions_visible_to``) with ``hours_used`` (the sessions'
    hours) and ``sessions_held``, read in the same query."""
    return queryset.annotate(
        hours_used=Coalesce(Sum("sessions__hours"), Value(Decimal(0))),
        sessions_held=Count("sessions"),
    )


def intervention_briefs(user) -> QuerySet[Intervention]:
    """The provider's brief: the interventions allocated to ``user``, each with what they
    are told and nothing else of the case (the person's name, the contact route and goals
    the chair set, sessions and hours, and ``last_review_on`` for the next review date).

    Only their own: a chair or officer who is also a provider reads a case through its page.
    """
    last_review = (
        Review.objects.filter(referral_id=OuterRef("referral_id"), kind="panel")
        .order_by("-date")
        .values("date")[:1]
    )
    return (
        interventions_with_hours(interventions_visible_to(user).filter(provider=user))
        .annotate(last_review_on=Subquery(last_review))
        .select_related("referral__subject")
        .order_by("start_date", "created_at")
    )


def next_review_on(intervention: Intervention) -> datetime.date | None:
    """When the case's support is next reviewed: a month after the last panel review, or
    after adoption if none yet (DESIGN.md §4, reviewed at least monthly)."""
    referral = intervention.referral
    last = getattr(intervention, "last_review_on", None)
    if last is None and referral.adopted_at is None:
        return None
    start = last or timezone.localdate(referral.adopted_at)
    return start + datetime.timedelta(days=REVIEW_INTERVAL_DAYS)


def intervention_sessions_visible_to(user) -> QuerySet[InterventionSession]:
    return InterventionSession.objects.filter(intervention__in=interventions_visible_to(user))


def reviews_visible_to(user) -> QuerySet[Review]:
    return Review.objects.filter(referral__in=channel_cases_visible_to(user))


def panel_packs_visible_to(user) -> QuerySet[PanelPack]:
    """A pack copy is its recipient's alone, and only while they can see the panel."""
    return PanelPack.objects.filter(recipient=user, panel__in=panels_visible_to(user))


def panel_pack_readable_by(user, pack: PanelPack) -> bool:
    """May ``user`` read this pack copy now? Authorised when read, not when it was made.

    The copy must be theirs, on a panel they still see, and every case it holds still on
    that panel's agenda and still visible to them with panel or full access: a case that
    left the agenda or closed (a panel member's grant goes with it) withdraws the whole copy,
    since the file cannot be cut. The file must not have been purged.
    """
    if pack.purged_at is not None or not pack.file:
        return False
    if not panel_packs_visible_to(user).filter(pk=pack.pk).exists():
        return False
    held = set(pack.referral_ids)
    if not held:
        return True
    on_agenda = AgendaItem.objects.filter(panel_id=pack.panel_id).values("referral_id")
    still = channel_cases_visible_to(user).filter(pk__in=held).filter(pk__in=on_agenda)
    return {str(pk) for pk in still.values_list("pk", flat=True)} == held


def panel_pack_attestations(user, panel: Panel) -> list[PanelPack]:
    """For the panel's chair: each recipient's latest copy of its pack, with what they said
    became of it (``attestation`` empty: not yet said). Nobody else reads others' copies."""
    if not is_chair_of_panel(user, panel):
        return []
    latest = (
        PanelPack.objects.filter(panel=panel)
        .order_by("recipient_id", "-created_at")
        .distinct("recipient_id")
        .values("pk")
    )
    return list(
        PanelPack.objects.filter(pk__in=latest)
        .select_related("recipient__agency")
        .order_by("recipient__last_name", "recipient__username")
    )


def panel_pack_job_readable_by(user, job) -> bool:
    """A pack job's result is its owner's copy (``register_job_reader``): the same rule."""
    pack = PanelPack.objects.filter(job=job, recipient_id=job.owner_id).first()
    return pack is not None and panel_pack_readable_by(user, pack)


def assessment_changes(assessment: VulnerabilityAssessment) -> list[dict]:
    """Each factor with its rating now and in the previous assessment of the same case."""
    return assessment_compare(assessment, previous_assessment(assessment))


def previous_assessment(assessment: VulnerabilityAssessment) -> VulnerabilityAssessment | None:
    """The assessment of the same case and framework just before this one."""
    return (
        VulnerabilityAssessment.objects.filter(
            referral_id=assessment.referral_id, framework=assessment.framework
        )
        .filter(
            Q(date__lt=assessment.date)
            | Q(date=assessment.date, created_at__lt=assessment.created_at)
        )
        .order_by("-date", "-created_at")
        .first()
    )


def previous_assessment_in(
    assessment: VulnerabilityAssessment, assessments: list[VulnerabilityAssessment]
) -> VulnerabilityAssessment | None:
    """``previous_assessment`` picked from the case's assessments already read, newest first."""
    at = (assessment.date, assessment.created_at)
    for earlier in assessments:
        same_framework = earlier.framework_id == assessment.framework_id
        if same_framework and (earlier.date, earlier.created_at) < at:
            return earlier
    return None


def assessment_compare(
    assessment: VulnerabilityAssessment, previous: VulnerabilityAssessment | None
) -> list[dict]:
    rows = []
    for factor in assessment.framework.factors.all():
        before = previous.ratings.get(factor.code) if previous else None
        now = assessment.ratings.get(factor.code)
        rows.append(
            {
                "code": factor.code,
                "dimension": factor.dimension,
                "label": factor.label,
                "previous": before,
                "current": now,
                "changed": previous is not None and before != now,
            }
        )
    return rows


def latest_assessment(referral) -> VulnerabilityAssessment | None:
    return referral.vulnerability_assessments.order_by("-date", "-created_at").first()


# --- Clocks (DESIGN.md §4) ---------------------------------------------------------------


def _today() -> datetime.date:
    return timezone.localdate()


def cases_awaiting_panel(user, *, overdue_only: bool = False) -> QuerySet[Referral]:
    """Cases at ``channel_panel`` that no panel has decided on since they came there."""
    queryset = awaiting_panel(channel_cases_visible_to(user))
    if overdue_only:
        limit = timezone.now() - datetime.timedelta(days=PANEL_WAIT_DAYS)
        queryset = queryset.filter(channel_entered_at__lt=limit)
    return queryset.select_related("subject")


def awaiting_panel(cases: QuerySet[Referral]) -> QuerySet[Referral]:
    """Of ``cases``, those at ``channel_panel`` still waiting for a panel.

    A case waits until a panel held since it last came to ``channel_panel`` (referred, sent
    back after an escalation, reopened or readopted: its latest history row into the state)
    has discussed it, at a meeting dated on or after that day, without deferring it. So a
    case reopened or readopted waits again, as the adopt guard asks, and a deferred one is
    offered to the next panel.
    """
    came_back = Subquery(
        ReferralTransition.objects.filter(referral_id=OuterRef("pk"), to_state=State.CHANNEL_PANEL)
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    discussed = AgendaItem.objects.filter(
        referral_id=OuterRef("pk"),
        panel__held_at__gte=OuterRef("_at_panel_since"),
        panel__date__gte=OuterRef("_at_panel_day"),
    ).exclude(outcome__decision=PanelDecision.DEFER)
    return (
        cases.filter(state=State.CHANNEL_PANEL)
        .annotate(_at_panel_since=Coalesce(came_back, F("channel_entered_at")))
        .annotate(_at_panel_day=TruncDate("_at_panel_since"))
        .exclude(Exists(discussed))
    )


def deferred_cases(user) -> QuerySet[Referral]:
    """Open Channel cases whose latest held panel deferred them: offered to the next panel,
    annotated with that panel's date (``deferred_on``)."""
    latest = AgendaItem.objects.filter(
        referral_id=OuterRef("pk"), panel__held_at__isnull=False
    ).order_by("-panel__date", "-panel__held_at")
    return (
        channel_cases_visible_to(user)
        .filter(state__in=[State.CHANNEL_PANEL, *OPEN_CHANNEL_STATES])
        .annotate(
            _last_decision=Subquery(latest.values("outcome__decision")[:1]),
            deferred_on=Subquery(latest.values("panel__date")[:1]),
        )
        .filter(_last_decision=PanelDecision.DEFER)
        .select_related("subject")
    )


def reviews_due(user) -> QuerySet[Referral]:
    """Support cases whose monthly review has fallen due: none since a month ago, and adopted
    at least a month ago (the first review is due a month after adoption)."""
    return support_reviews_overdue(channel_cases_visible_to(user), today=_today()).select_related(
        "subject"
    )


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


# The review clocks below are read by the chair's lists and the compliance report alike. They
# are the due rules of DESIGN.md §4 and issue 16, in one place, to be read from the registry
# of statutory clocks once there is one.


def support_reviews_overdue(
    cases: QuerySet[Referral], *, today: datetime.date
) -> QuerySet[Referral]:
    """Support cases of ``cases`` whose monthly review is overdue on ``today``: the first falls
    due ``CHANNEL_SUPPORT_REVIEW_INTERVAL_DAYS`` after adoption, each next one as long after
    the latest review, and it is overdue once that day has passed with none recorded."""
    since = today - datetime.timedelta(days=support_review_interval_days())
    recent = Review.objects.filter(date__gte=since).values("referral_id")
    return (
        cases.filter(state=State.SUPPORT)
        .filter(Q(adopted_at__isnull=True) | Q(adopted_at__lt=_midnight(since)))
        .exclude(pk__in=recent)
    )


def consent_reassessments_overdue(
    cases: QuerySet[Referral], *, today: datetime.date
) -> QuerySet[Referral]:
    """Cases of ``cases`` closed on declined or withdrawn consent whose reassessment date has
    passed while they are still closed (a reassessed case is reopened, so leaves the count)."""
    return cases.filter(
        state=State.CLOSED,
        closure_reason__in=["consent_declined", "consent_withdrawn"],
        reassess_on__lt=today,
    )


def post_exit_reviews_overdue(cases: QuerySet[Referral], *, today: datetime.date) -> dict[str, int]:
    """For each post-exit review kind, how many cases of ``cases`` awaiting their post-exit
    reviews have none of that kind though it was due (``POST_EXIT_DUE`` days after the local
    exit date) by ``today``. Its window opens earlier (``post_exit_review_opens``), so a
    review can always be recorded before it is late; one recorded early, with its reason,
    counts as done. Compares timestamps with local midnights: no row is converted."""
    awaiting = cases.filter(state=State.POST_EXIT_REVIEW, exited_at__isnull=False)
    counts = {}
    for kind, days in POST_EXIT_DUE.items():
        due_by = _midnight(today - datetime.timedelta(days=days) + datetime.timedelta(days=1))
        counts[kind] = (
            awaiting.filter(exited_at__lt=due_by)
            .exclude(pk__in=Review.objects.filter(kind=kind).values("referral_id"))
            .count()
        )
    return counts


def reviews_overdue_counts(cases: QuerySet[Referral], *, today: datetime.date) -> dict[str, int]:
    """How many reviews of ``cases`` are overdue on ``today``, by the due rule of each kind:
    support reviews monthly from adoption, consent reassessments on their date, post-exit
    reviews by 6 and 12 months after exit; and ``total``. Aggregates only."""
    counts = {
        "support": support_reviews_overdue(cases, today=today).count(),
        "consent_reassessment": consent_reassessments_overdue(cases, today=today).count(),
        **post_exit_reviews_overdue(cases, today=today),
    }
    return {**counts, "total": sum(counts.values())}


def post_exit_reviews_due(user) -> list[tuple[Referral, str, datetime.date]]:
    due = []
    today = _today()
    cases = (
        channel_cases_visible_to(user)
        .filter(state=State.POST_EXIT_REVIEW, exited_at__isnull=False)
        .select_related("subject")
        .prefetch_related("reviews")
    )
    for referral in cases:
        done = {review.kind for review in referral.reviews.all()}
        for kind, days in POST_EXIT_DUE.items():
            when = timezone.localdate(referral.exited_at) + datetime.timedelta(days=days)
            if kind not in done and when <= today + datetime.timedelta(days=14):
                due.append((referral, kind, when))
    return due


def consent_reassessments_due(user) -> QuerySet[Referral]:
    """Cases closed on declined or withdrawn consent whose reassessment date has come."""
    if not user.has_role(Role.CHANNEL_CHAIR):
        return Referral.objects.none()
    return (
        channel_cases_visible_to(user)
        .filter(
            state=State.CLOSED,
            reassess_on__isnull=False,
            reassess_on__lte=_today(),
            closure_reason__in=["consent_declined", "consent_withdrawn"],
        )
        .select_related("subject")
    )


def panel_history(user, referral: Referral) -> list[AgendaItem]:
    """Every panel the case was on that the reader may see, newest first, each item with its
    panel, attendance (people and agencies), decision and the actions agreed on this case.

    A fixed number of queries however many panels: everything is prefetched.
    """
    actions = panel_actions_visible_to(user).filter(referral=referral).select_related("owner")
    return list(
        agenda_items_visible_to(user)
        .filter(referral=referral)
        .select_related("outcome", "panel__chair")
        .prefetch_related(
            Prefetch("panel__attended", queryset=_people()),
            Prefetch("panel__actions", queryset=actions, to_attr="case_actions"),
        )
        .order_by("-panel__date", "-added_at")
    )


def _people() -> QuerySet[User]:
    return User.objects.select_related("agency").order_by("last_name", "first_name")


def next_panel(user) -> Panel | None:
    """The next panel still to meet: once a panel is held (and signed off) the next one is
    the next scheduled, even if the held one was today."""
    return (
        panels_visible_to(user)
        .filter(date__gte=_today(), held_at__isnull=True)
        .order_by("date", "created_at")
        .first()
    )


def chair_dashboard(user) -> dict:
    open_states = [State.AWAITING_CONSENT, State.SUPPORT, State.POST_EXIT_REVIEW]
    return {
        "awaiting_panel": list(cases_awaiting_panel(user)),
        "open_cases": list(
            channel_cases_visible_to(user)
            .filter(state__in=open_states)
            .select_related("subject")
            .order_by("state", "reference")
        ),
        "consent_reassessments": list(consent_reassessments_due(user)),
        "reviews_due": list(reviews_due(user)),
        "post_exit_due": post_exit_reviews_due(user),
        "next_panel": next_panel(user),
    }
