"""Change pages. (Interim; the web UI work fills these in.)"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from compliance.models import Change


def change_list(request: HttpRequest) -> HttpResponse:
    changes = Change.objects.select_related("source__vendor", "subprocessor")[:100]
    return render(request, "compliance/change_list.html", {"changes": changes})


def change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(Change.objects.select_related("source__vendor"), pk=pk)
    return render(request, "compliance/change_detail.html", {"change": change})
