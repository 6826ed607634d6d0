"""Saved views: a person's named filters and sort of a list, to come back to (issue 19).

A list whose filters and sort are GET parameters can be saved under a name; applying the view
is following its address. A view is its owner's alone: anyone else asking for it (to apply or
delete it) is answered 404, as if it did not exist. Only the query keys the list declares
here are kept, so a search term (which may be a person's name, and travels as an opaque
``search`` id) is never stored.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode
from uuid import UUID

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User

from .errors import InvalidInput, NotFound
from .models import SavedView

# The lists that can be saved, by URL name, with the query keys a view of each keeps.
SAVED_VIEW_PAGES: dict[str, tuple[str, ...]] = {
    "training:record_list": ("agency", "course", "status", "sort"),
    "referrals:queue": (
        "state",
        "assigned",
        "local_authority",
        "sector",
        "urgent",
        "overdue",
        "sort",
    ),
}
# Keys whose empty value is itself a choice, kept when present: the queue's ``state=`` is
# "Any open stage", where no ``state`` at all is its default, the triage stages.
BLANK_IS_A_CHOICE: dict[str, frozenset[str]] = {"referrals:queue": frozenset({"state"})}
NAME_LENGTH = SavedView._meta.get_field("name").max_length


def saved_view_query(*, page: str, query: str) -> str:
    """``query`` keeping only the keys ``page``'s views keep, in a stable order."""
    keys = SAVED_VIEW_PAGES.get(page, ())
    blank_ok = BLANK_IS_A_CHOICE.get(page, frozenset())
    kept = [
        (key, value)
        for key, value in parse_qsl(query, keep_blank_values=True)
        if key in keys and (value or key in blank_ok)
    ]
    return urlencode(sorted(kept))


def saved_views_for(user, page: str) -> QuerySet[SavedView]:
    """The person's own views of one list, by name (one query)."""
    if not user.is_authenticated:
        return SavedView.objects.none()
    return SavedView.objects.filter(owner=user, page=page).order_by("name", "pk")


def saved_views_carried(user, page: str) -> dict[str, ArraySubquery]:
    """``saved_views_for`` as a subquery a list's own query can carry
    (``pagination.keyset_page(carried=…)``), so a list whose query count is budgeted shows
    the views without a query of their own; ``saved_views_shown`` reads it back.

    PostgreSQL only (an ``ARRAY`` of rows): on the embedded SQLite of ``make run`` nothing is
    carried and the views are read with a query of their own."""
    if connection.vendor != "postgresql":
        return {}
    views = saved_views_for(user, page).values(json=JSONObject(pk="id", name="name"))
    return {"saved_views": ArraySubquery(views)}


def saved_views_shown(user, page: str, carried: dict) -> list:
    """The views ``includes/saved_views.html`` shows: the carried value when the page's
    query brought it (a page with rows, on PostgreSQL), otherwise read now."""
    if "saved_views" not in carried:
        return list(saved_views_for(user, page))
    return [{"pk": view["pk"], "name": view["name"]} for view in carried["saved_views"] or ()]


def saved_view_get(user, view_id: UUID | str) -> SavedView:
    """The person's own view; anyone else's, or none, is ``NotFound``."""
    view = SavedView.objects.filter(owner_id=user.pk, pk=view_id).first()
    if view is None:
        raise NotFound
    return view


def saved_view_url(view: SavedView) -> str:
    url = reverse(view.page)
    return f"{url}?{view.query}" if view.query else url


@transaction.atomic
def saved_view_save(*, actor: User, page: str, name: str, query: str) -> SavedView:
    """Save the list ``page`` as filtered and sorted by ``query`` under ``name``; a view of
    the same list with the same name is replaced (saving again updates it)."""
    if page not in SAVED_VIEW_PAGES:
        raise InvalidInput({"page": _("This list cannot be saved as a view")})
    name = " ".join(name.split())
    if not name:
        raise InvalidInput({"name": _("Enter a name for the view")})
    if len(name) > NAME_LENGTH:
        raise InvalidInput(
            {"name": _("The name must be %(n)s characters or fewer") % {"n": NAME_LENGTH}}
        )
    view, _created = SavedView.objects.update_or_create(
        owner=actor,
        page=page,
        name=name,
        defaults={"query": saved_view_query(page=page, query=query)},
    )
    return view


@transaction.atomic
def saved_view_delete(*, view_id: UUID | str, actor: User) -> None:
    """Delete one of the actor's own views (anyone else's is ``NotFound``)."""
    view = saved_view_get(actor, view_id)
    view.delete()
