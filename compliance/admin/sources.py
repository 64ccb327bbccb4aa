"""Admin for vendors, their sources and the evidence of each check: snapshots and
checks are read-only, and a snapshot body is read only on its own page, as an escaped
preview."""

from __future__ import annotations

import zlib

from django.contrib import admin
from django.db.models import OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from compliance.admin.common import HTTPS_URLS, ReadOnlyAdmin
from compliance.models import Check, Snapshot, Source, Vendor
from compliance.selectors import count_per

PREVIEW_CHARS = 20_000


class SourceInline(admin.TabularInline):
    model = Source
    formfield_overrides = HTTPS_URLS
    extra = 0
    fields = ("url", "format", "enabled", "check_interval", "last_outcome", "last_checked_at")
    readonly_fields = ("last_outcome", "last_checked_at")
    show_change_link = True


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("name", "slug", "website", "notice_days", "source_count", "created_at")
    search_fields = ("name", "slug", "website")
    prepopulated_fields = {"slug": ("name",)}
    date_hierarchy = "created_at"
    inlines = [SourceInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Vendor]:
        sources = Source.objects.filter(vendor=OuterRef("pk"))
        return super().get_queryset(request).annotate(_source_count=count_per(sources, "vendor"))

    @admin.display(description=_("sources"), ordering="_source_count")
    def source_count(self, vendor: Vendor) -> int:
        return vendor._source_count


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = (
        "url",
        "vendor",
        "format",
        "enabled",
        "last_outcome",
        "last_checked_at",
        "next_check_at",
        "consecutive_failures",
    )
    list_filter = ("enabled", "last_outcome", "format")
    search_fields = ("url", "vendor__name")
    list_select_related = ("vendor",)
    autocomplete_fields = ("vendor",)
    # What the checks record about a source: shown, never edited by hand.
    readonly_fields = (
        "last_checked_at",
        "last_outcome",
        "warning",
        "last_error",
        "consecutive_failures",
        "current_snapshot",
        "rows_hash",
        "etag",
        "last_modified",
        "created_at",
    )
    fields = (
        "vendor",
        "url",
        "format",
        "hint",
        "check_interval",
        "enabled",
        "next_check_at",
        *readonly_fields,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        return (
            super()
            .get_queryset(request)
            .select_related(*self.list_select_related, "current_snapshot")
            .defer("current_snapshot__body_compressed")
        )


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = (
        "fetched_at",
        "source",
        "short_hash",
        "http_status",
        "content_type",
        "size",
    )
    list_filter = ("http_status", "content_type")
    search_fields = ("content_hash", "url", "source__url", "source__vendor__name")
    list_select_related = ("source__vendor",)
    date_hierarchy = "fetched_at"
    fields = (
        "source",
        "url",
        "fetched_at",
        "http_status",
        "content_type",
        "size",
        "content_hash",
        "body_preview",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Snapshot]:
        # The body can be megabytes: the list never reads it, the detail page reads
        # it once, lazily, for the preview.
        return super().get_queryset(request).defer("body_compressed")

    @admin.display(description=_("content hash"), ordering="content_hash")
    def short_hash(self, snapshot: Snapshot) -> str:
        return snapshot.content_hash[:12]

    @admin.display(description=_("body (preview)"))
    def body_preview(self, snapshot: Snapshot) -> str:
        if "pdf" in snapshot.content_type.lower():
            return _("PDF document; no text preview.")
        try:
            text = snapshot.body.decode("utf-8", errors="replace")
        except zlib.error:
            return _("The stored body cannot be decompressed.")
        if len(text) > PREVIEW_CHARS:
            text = text[:PREVIEW_CHARS] + "\n…"
        # format_html escapes the scraped text: the page shows markup, never runs it.
        return format_html(
            '<pre style="white-space: pre-wrap; max-height: 40em; overflow: auto;">{}</pre>',
            text,
        )


@admin.register(Check)
class CheckAdmin(ReadOnlyAdmin):
    list_display = (
        "started_at",
        "source",
        "outcome",
        "http_status",
        "rows_found",
        "changes_count",
        "finished_at",
    )
    list_filter = ("outcome", "http_status")
    search_fields = ("source__url", "source__vendor__name", "error")
    list_select_related = ("source__vendor",)
    date_hierarchy = "started_at"
    fields = (
        "source",
        "started_at",
        "finished_at",
        "outcome",
        "http_status",
        "rows_found",
        "changes_count",
        "snapshot",
        "error",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Check]:
        return (
            super()
            .get_queryset(request)
            .select_related(*self.list_select_related, "snapshot")
            .defer("snapshot__body_compressed")
        )
