"""Pieces shared by the admin modules."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

# A URL typed without a scheme is taken as https (Django 6's default, chosen now).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}

# Note: the admin applies list_select_related only when get_queryset() has not called
# select_related() itself, so the get_queryset() overrides repeat it.


class ReadOnlyAdmin(admin.ModelAdmin):
    """For audit rows the pipeline writes: viewable and deletable, never edited by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
