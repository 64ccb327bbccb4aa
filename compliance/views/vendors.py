"""Vendors: the overview, and one vendor's sources, current list and recent checks."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from compliance import selectors
from compliance.views.changes import PAGE_SIZE, days_left

RECENT_CHANGES = 10


def vendor_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    vendors = selectors.vendor_list()
    if q:
        vendors = vendors.filter(name__icontains=q)
    page = Paginator(vendors, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "compliance/vendor_list.html", {"page": page, "q": q})


def vendor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    vendor = selectors.vendor_get(slug=slug)
    changes = list(selectors.change_list(vendor=vendor.slug)[:RECENT_CHANGES])
    for change in changes:
        change.days_left = days_left(change.objection_deadline)
    return render(
        request,
        "compliance/vendor_detail.html",
        {
            "vendor": vendor,
            "sources": selectors.source_overview(vendor=vendor),
            "listings": selectors.listing_current(vendor=vendor),
            "checks": selectors.check_recent(vendor=vendor),
            "changes": changes,
        },
    )
