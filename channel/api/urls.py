"""Channel API under /api/v1/channel/ (DESIGN.md §5)."""

from django.urls import path

from . import notices, records, views, work

urlpatterns = [
    path("panels/", views.PanelList.as_view(), name="channel-panel-list"),
    path("panels/<uuid:pk>/", views.PanelDetail.as_view(), name="channel-panel-detail"),
    path("panels/<uuid:pk>/agenda/", views.PanelAgenda.as_view(), name="channel-panel-agenda"),
    path(
        "panels/<uuid:pk>/agenda/<uuid:referral_pk>/",
        views.PanelAgendaItem.as_view(),
        name="channel-panel-agenda-item",
    ),
    path(
        "panels/<uuid:pk>/actions/<uuid:action_pk>/",
        records.PanelActionDetail.as_view(),
        name="channel-panel-action",
    ),
    path(
        "panels/<uuid:pk>/agency-updates/<uuid:update_pk>/",
        records.PanelAgencyUpdateDetail.as_view(),
        name="channel-panel-agency-update",
    ),
    path("panels/<uuid:pk>/members/", work.PanelMembers.as_view(), name="channel-panel-members"),
    path("panels/<uuid:pk>/hold/", views.PanelHold.as_view(), name="channel-panel-hold"),
    path("panels/<uuid:pk>/sign-off/", views.PanelSignOff.as_view(), name="channel-panel-sign-off"),
    path("panels/<uuid:pk>/actions/", views.PanelActions.as_view(), name="channel-panel-actions"),
    path(
        "panels/<uuid:pk>/agency-updates/",
        views.PanelAgencyUpdates.as_view(),
        name="channel-panel-agency-updates",
    ),
    path("panels/<uuid:pk>/pack/", views.PanelPackView.as_view(), name="channel-panel-pack"),
    path(
        "panels/<uuid:pk>/items/<uuid:item_pk>/decision/",
        views.PanelItemDecision.as_view(),
        name="channel-panel-item-decision",
    ),
    path("assessment-frameworks/", views.FrameworkList.as_view(), name="channel-framework-list"),
    path("interventions/", views.MyInterventions.as_view(), name="channel-intervention-list"),
    path(
        "interventions/<uuid:pk>/",
        work.InterventionDetail.as_view(),
        name="channel-intervention-detail",
    ),
    path(
        "interventions/<uuid:pk>/brief/",
        work.InterventionBrief.as_view(),
        name="channel-intervention-brief",
    ),
    path(
        "interventions/<uuid:pk>/sessions/",
        views.InterventionSessions.as_view(),
        name="channel-intervention-sessions",
    ),
    path(
        "interventions/<uuid:pk>/sessions/<uuid:session_pk>/",
        records.InterventionSessionDetail.as_view(),
        name="channel-intervention-session",
    ),
    # Issue 17: the chair moves a panel and asks agencies for updates before it.
    path("panels/<uuid:pk>/move/", notices.PanelMove.as_view(), name="channel-panel-move"),
    path(
        "panels/<uuid:pk>/update-requests/",
        notices.PanelUpdateRequests.as_view(),
        name="channel-panel-update-requests",
    ),
    path(
        "panels/<uuid:pk>/update-requests/<uuid:request_pk>/",
        notices.PanelUpdateRequestDetail.as_view(),
        name="channel-panel-update-request",
    ),
]
