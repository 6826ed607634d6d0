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
    CharField,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from prevent_cms.clocks import (
    CONSENT_REASSESSMENT,
    POST_EXIT_6_MONTHS,
    POST_EXIT_12_MONTHS,
    SUPPORT_REVIEW,
    TIME_TO_PANEL,
    forecast_row,
)
from prevent_cms.models import Notification
from prevent_cms.notifications import Kind
from referrals.choices import State
from referrals.models import Referral, ReferralTransition
from referrals.selectors import referrals_visible_to

from .agenda_rules import default_kind
from .choices import AgendaKind, PanelDecision
from .models import (
    AgencyUpdate,
    AgencyUpdateRequest,
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

OPEN_CHANNEL_STATES = (State.AWAITING_CONSENT, State.SUPPORT, State.POST_EXIT_REVIEW)


# The Channel clocks, declared once in ``prevent_cms.clocks``: each post-exit review's clock.
POST_EXIT_CLOCKS = {rule.name: rule for rule in (POST_EXIT_6_MONTHS, POST_EXIT_12_MONTHS)}


def support_review_interval_days() -> int:
    """Days between support reviews, counted from adoption, then from the latest review."""
    return SUPPORT_REVIEW.threshold()


def post_exit_review_due(kind: str, exited_on: datetime.date) -> datetime.date:
    """The day a post-exit review of ``kind`` falls due (6 or 12 months after exit)."""
    return POST_EXIT_CLOCKS[kind].due(exited_on)


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


def update_requests_visible_to(user) -> QuerySet[AgencyUpdateRequest]:
    """Agency update requests on the panels the user may see: every one to the chair of the
    panel's local authority, their own agency's to a member. Each annotated ``owed``: no
    member of the agency has yet added an update on the case for the panel."""
    scope = Q(agency_id=user.agency_id) if user.is_authenticated else Q(pk__in=[])
    if user.is_authenticated and user.has_role(Role.CHANNEL_CHAIR):
        scope |= Q(panel__local_authority_id=user.local_authority_id)
    given = AgencyUpdate.objects.filter(
        panel_id=OuterRef("panel_id"),
        referral_id=OuterRef("referral_id"),
        author__agency_id=OuterRef("agency_id"),
    )
    return (
        AgencyUpdateRequest.objects.filter(panel__in=panels_visible_to(user))
        .filter(scope)
        .annotate(owed=~Exists(given))
        .select_related("panel", "referral", "agency")
    )


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
    return SUPPORT_REVIEW.due(start)


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


def _latest_copies(panel: Panel):
    """Each recipient's latest copy of the panel's pack: no later copy for the same recipient.

    Written for every database the service runs on: ``DISTINCT ON`` is PostgreSQL's alone,
    and ``make run`` serves on SQLite.
    """
    later = PanelPack.objects.filter(panel=panel, recipient_id=OuterRef("recipient_id")).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    return PanelPack.objects.filter(panel=panel).filter(~Exists(later))


def panel_pack_attestations(user, panel: Panel) -> list[PanelPack]:
    """For the panel's chair: each recipient's latest copy of its pack, with what they said
    became of it (``attestation`` empty: not yet said). Nobody else reads others' copies."""
    if not is_chair_of_panel(user, panel):
        return []
    return list(
        _latest_copies(panel)
        .select_related("recipient__agency")
        .order_by("recipient__last_name", "recipient__username")
    )


# The pack-ready notice of one copy is keyed on it (``tasks._send_pack_link``): one notice
# per copy, however often its task runs.
PACK_NOTICE_KEY = "pack_link:"


def pack_notice_key(pack_id) -> str:
    return f"{PACK_NOTICE_KEY}{pack_id}"


def panel_pack_readiness(panel: Panel) -> dict[str, int]:
    """How far the panel's pack has gone: ``made``, the recipients with a copy; ``sent``,
    those of them who have been told their copy is ready.

    Only each recipient's latest copy counts: a pack made again (the agenda changed) must be
    sent again. A copy is sent once its pack-ready notice is in the recipient's notifications
    and, if they take such notices by e-mail straight away, the e-mail has gone; a notice
    whose e-mail failed is not sent (a daily digest's notice is: it is in the app already,
    and the digest is the recipient's choice). One query whatever the number of cases.
    """
    notice = Notification.objects.filter(
        kind=Kind.PACK_READY,
        recipient_id=OuterRef("recipient_id"),
        key=Concat(Value(PACK_NOTICE_KEY), Cast(OuterRef("pk"), output_field=CharField())),
    ).filter(Q(emailed_at__isnull=False) | ~Q(delivery=Notification.Delivery.EMAIL))
    return _latest_copies(panel).aggregate(
        made=Count("pk"), sent=Count("pk", filter=Exists(notice))
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
                "label": _(factor.label),
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
        limit = TIME_TO_PANEL.start_cutoff(_today())
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


# The review clocks below are read by the chair's lists and the compliance report alike: the
# due rules of DESIGN.md §4 and issue 16, each from its clock in ``prevent_cms.clocks``.


def support_reviews_overdue(
    cases: QuerySet[Referral], *, today: datetime.date
) -> QuerySet[Referral]:
    """Support cases of ``cases`` whose monthly review is overdue on ``today`` by the
    ``SUPPORT_REVIEW`` clock: the first falls due that long after adoption, each next one as
    long after the latest review, and it is overdue from its due day with none recorded."""
    since = SUPPORT_REVIEW.latest_start_breached(today) + datetime.timedelta(days=1)
    recent = Review.objects.filter(date__gte=since).values("referral_id")
    return (
        cases.filter(state=State.SUPPORT)
        .filter(Q(adopted_at__isnull=True) | Q(adopted_at__lt=SUPPORT_REVIEW.start_cutoff(today)))
        .exclude(pk__in=recent)
    )


def consent_reassessments_overdue(
    cases: QuerySet[Referral], *, today: datetime.date
) -> QuerySet[Referral]:
    """Cases of ``cases`` closed on declined or withdrawn consent whose reassessment clock
    (``CONSENT_REASSESSMENT``: due on its date) has run out while they are still closed (a
    reassessed case is reopened, so leaves the count)."""
    return cases.filter(
        state=State.CLOSED,
        closure_reason__in=["consent_declined", "consent_withdrawn"],
        reassess_on__lte=CONSENT_REASSESSMENT.latest_start_breached(today),
    )


def post_exit_reviews_overdue(cases: QuerySet[Referral], *, today: datetime.date) -> dict[str, int]:
    """For each post-exit review kind, how many cases of ``cases`` awaiting their post-exit
    reviews have none of that kind though its clock (``POST_EXIT_CLOCKS``, from the local exit
    date) has run out by ``today``. Its window opens earlier (``post_exit_review_opens``), so a
    review can always be recorded before it is late; one recorded early, with its reason,
    counts as done. Compares timestamps with local midnights: no row is converted."""
    awaiting = cases.filter(state=State.POST_EXIT_REVIEW, exited_at__isnull=False)
    counts = {}
    for kind, rule in POST_EXIT_CLOCKS.items():
        counts[kind] = (
            awaiting.filter(exited_at__lt=rule.start_cutoff(today))
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
        for kind, rule in POST_EXIT_CLOCKS.items():
            when = rule.due(timezone.localdate(referral.exited_at))
            if kind not in done and when <= today + datetime.timedelta(days=rule.warn_days):
                due.append((referral, kind, when))
    return due


def channel_clock_forecast(
    user, *, today: datetime.date, until: datetime.date, mine: bool = False
) -> list[dict]:
    """A chair's local authority's Channel clocks that run out after ``today`` and by
    ``until`` if nothing happens: time to panel, support reviews, post-exit reviews and
    consent reassessments (``mine``: the cases they lead). Read through the same visibility
    selector as the chair's lists; a fixed number of queries whatever the number of cases."""
    if not user.has_role(Role.CHANNEL_CHAIR):
        return []
    visible = channel_cases_visible_to(user)
    if mine:
        visible = visible.filter(case_lead=user)
    rows = []

    def add(rule, row, started) -> None:
        due = rule.due(started)
        if today < due <= until:
            rows.append(
                forecast_row(
                    clock=rule,
                    id=row["id"],
                    reference=row["reference"],
                    breaches_on=due,
                    assigned_to_me=row["case_lead_id"] == user.pk,
                )
            )

    fields = ("id", "reference", "case_lead_id")
    waiting = awaiting_panel(visible).filter(
        channel_entered_at__gte=TIME_TO_PANEL.start_cutoff(today),
        channel_entered_at__lt=TIME_TO_PANEL.start_cutoff(until),
    )
    for row in waiting.values(*fields, "channel_entered_at"):
        add(TIME_TO_PANEL, row, timezone.localdate(row["channel_entered_at"]))
    support = visible.filter(state=State.SUPPORT).annotate(last_review=Max("reviews__date"))
    for row in support.values(*fields, "last_review", "adopted_at", "state_changed_at"):
        start = row["last_review"] or timezone.localdate(
            row["adopted_at"] or row["state_changed_at"]
        )
        add(SUPPORT_REVIEW, row, start)
    done = {
        kind: Exists(Review.objects.filter(referral_id=OuterRef("pk"), kind=kind))
        for kind in POST_EXIT_CLOCKS
    }
    exited = visible.filter(state=State.POST_EXIT_REVIEW, exited_at__isnull=False).annotate(
        **{f"done_{kind}": test for kind, test in done.items()}
    )
    for row in exited.values(*fields, "exited_at", *[f"done_{kind}" for kind in done]):
        for kind, rule in POST_EXIT_CLOCKS.items():
            if not row[f"done_{kind}"]:
                add(rule, row, timezone.localdate(row["exited_at"]))
    reassess = visible.filter(
        state=State.CLOSED,
        closure_reason__in=["consent_declined", "consent_withdrawn"],
        reassess_on__gt=today,
        reassess_on__lte=until,
    )
    for row in reassess.values(*fields, "reassess_on"):
        add(CONSENT_REASSESSMENT, row, row["reassess_on"])
    return rows


def consent_reassessments_due(user) -> QuerySet[Referral]:
    """Cases closed on declined or withdrawn consent whose reassessment date has come."""
    if not user.has_role(Role.CHANNEL_CHAIR):
        return Referral.objects.none()
    return (
        channel_cases_visible_to(user)
        .filter(
            state=State.CLOSED,
            reassess_on__isnull=False,
            reassess_on__lte=CONSENT_REASSESSMENT.latest_start_breached(_today()),
            closure_reason__in=["consent_declined", "consent_withdrawn"],
        )
        .select_related("subject")
    )


def panel_suggested_cases(user, panel: Panel) -> list[dict]:
    """Cases the clocks say this panel should consider (DESIGN.md §4), not yet on an agenda."""
    if not is_chair_of_panel(user, panel) or panel.is_held:
        return []
    # A case is on at most one agenda not yet held (issue 16): those are not offered again.
    upcoming = AgendaItem.objects.filter(panel__held_at__isnull=True).values("referral_id")
    here = panel.local_authority_id
    rows = []
    seen = set()

    def add(referral, kind, reason):
        if referral.pk in seen or referral.local_authority_id != here:
            return
        seen.add(referral.pk)
        rows.append({"referral": referral, "kind": kind, "reason": reason})

    for referral in deferred_cases(user).exclude(pk__in=upcoming):
        deferred_on = referral.deferred_on  # type: ignore[attr-defined]  # deferred_cases' annotation
        add(
            referral,
            default_kind(referral.state),
            _("Deferred by the panel on %s") % f"{deferred_on:%-d %B %Y}",
        )
    for referral in cases_awaiting_panel(user).exclude(pk__in=upcoming):
        add(referral, AgendaKind.NEW_CASE, _("New case awaiting panel"))
    for referral in reviews_due(user).exclude(pk__in=upcoming):
        add(referral, AgendaKind.REVIEW, _("Support review due"))
    for referral in consent_reassessments_due(user):
        add(
            referral,
            AgendaKind.CONSENT_REASSESSMENT,
            _("Consent reassessment due %s") % f"{referral.reassess_on:%-d %B %Y}",
        )
    on_agenda = set(upcoming.values_list("referral_id", flat=True))
    for referral, kind, when in post_exit_reviews_due(user):
        if referral.pk in on_agenda:
            continue
        months = 6 if kind == "post_exit_6_months" else 12
        add(
            referral,
            AgendaKind.POST_EXIT_REVIEW,
            _("%(months)d-month post-exit review due %(date)s")
            % {"months": months, "date": f"{when:%-d %B %Y}"},
        )
    return rows


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
