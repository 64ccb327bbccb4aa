"""Subprocessors: which vendors use each one today, and in which countries."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from compliance import selectors
from compliance.views.changes import PAGE_SIZE


def subprocessor_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.subprocessor_usage(q=q or None), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for subprocessor in page:
        subprocessor.countries = sorted(
            {code for listing in subprocessor.current_listings for code in listing.countries}
        )
    return render(request, "compliance/subprocessor_list.html", {"page": page, "q": q})
