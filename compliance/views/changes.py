"""The change log: list with filters, one change with its evidence, and the review form."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compliance import selectors
from compliance.models import Change
from compliance.services.reviews import DECISIONS, change_review

PAGE_SIZE = 50
ROW_FIELDS = ("name", "purpose", "location", "countries", "section")
REVIEW_PERMISSION = "compliance.change_change"


def _day(value: str | None) -> date | None:
    try:
        return datetime.strptime(value or "", "%Y-%m-%d").date()
    except ValueError:
        return None


def change_filters(request: HttpRequest) -> dict:
    """The change filters in the query string, shared by the list and the CSV export.
    Unknown values are dropped rather than failing the page."""
    kind = request.GET.get("kind")
    status = request.GET.get("status")
    return {
        "vendor": request.GET.get("vendor") or None,
        "kind": kind if kind in Change.Kind.values else None,
        "status": status if status in Change.Review.values else None,
        "since": _day(request.GET.get("since")),
    }


def days_left(deadline: datetime) -> int:
    """Whole days from today to the deadline's day (negative once it has passed)."""
    return (timezone.localtime(deadline).date() - timezone.localdate()).days


def change_list(request: HttpRequest) -> HttpResponse:
    filters = change_filters(request)
    page = Paginator(selectors.change_list(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    for change in page:
        change.days_left = days_left(change.objection_deadline)
    return render(
        request,
        "compliance/change_list.html",
        {
            "page": page,
            "filters": filters,
            "vendors": selectors.vendor_choices(),
            "kinds": Change.Kind.choices,
            "statuses": Change.Review.choices,
        },
    )


def _row_comparison(change: Change) -> list[dict]:
    """Before / after for each published field, flagging the ones that changed."""
    changed = set(change.fields or [])
    rows = []
    for field in ROW_FIELDS:
        before, after = change.before.get(field, ""), change.after.get(field, "")
        if isinstance(before, list):
            before = ", ".join(before)
        if isinstance(after, list):
            after = ", ".join(after)
        is_changed = field in changed or (
            change.kind == Change.Kind.MODIFIED and not changed and before != after
        )
        rows.append({"field": field, "before": before, "after": after, "changed": is_changed})
    return rows


def change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    change = selectors.change_get(pk=pk)
    change.days_left = days_left(change.objection_deadline)
    return render(
        request,
        "compliance/change_detail.html",
        {
            "change": change,
            "comparison": _row_comparison(change),
            "evidence": [(_("Before"), change.old_snapshot), (_("After"), change.new_snapshot)],
            "can_review": request.user.has_perm(REVIEW_PERMISSION),
            "decisions": [(value, Change.Review(value).label) for value in DECISIONS],
        },
    )


@require_POST
def change_review_submit(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied
    status = request.POST.get("status")
    if status not in DECISIONS:
        return HttpResponseBadRequest(_("Choose accept or object."))
    change = selectors.change_get(pk=pk)
    change_review(change, request.user, status)
    messages.success(
        request,
        _("Recorded: %(status)s.") % {"status": change.get_review_status_display()},
    )
    return redirect("change_detail", pk=change.pk)
