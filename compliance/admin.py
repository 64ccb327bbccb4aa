"""Django admin for every model, built for tables with thousands of rows.

Each changelist joins what its columns show (``list_select_related``), foreign keys
use autocomplete or raw id widgets instead of a <select> holding every row, and
snapshot bodies are never read in a list: only the snapshot detail page decodes one,
escaped, as a preview. Evidence (snapshots, checks, the content of changes) is read-only.
"""

from __future__ import annotations

import zlib

from django.contrib import admin
from django.db import models
from django.db.models import OuterRef, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from compliance.models import (
    AlertRule,
    Change,
    Check,
    Listing,
    Notification,
    Snapshot,
    Source,
    Subprocessor,
    Vendor,
)
from compliance.selectors import count_per

PREVIEW_CHARS = 20_000
# A URL typed without a scheme is taken as https (Django 6's default, chosen now).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


# Note: the admin applies list_select_related only when get_queryset() has not called
# select_related() itself, so the overrides below repeat it.


class ReadOnlyAdmin(admin.ModelAdmin):
    """For audit rows the pipeline writes: viewable and deletable, never edited by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


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
    fields = (
        "vendor",
        "url",
        "format",
        "hint",
        "check_interval",
        "enabled",
        "next_check_at",
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


@admin.register(Subprocessor)
class SubprocessorAdmin(admin.ModelAdmin):
    list_display = ("name", "current_listing_count", "created_at")
    search_fields = ("name", "aliases")
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Subprocessor]:
        current = Listing.objects.filter(subprocessor=OuterRef("pk"), removed_at__isnull=True)
        return super().get_queryset(request).annotate(_current=count_per(current, "subprocessor"))

    @admin.display(description=_("current listings"), ordering="_current")
    def current_listing_count(self, subprocessor: Subprocessor) -> int:
        return subprocessor._current


class CurrentListingFilter(admin.SimpleListFilter):
    title = _("current")
    parameter_name = "current"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("yes", _("Listed now")), ("no", _("Removed"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(removed_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(removed_at__isnull=False)
        return queryset


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "subprocessor",
        "vendor",
        "location",
        "countries",
        "is_current",
        "last_seen_at",
    )
    list_filter = (CurrentListingFilter,)
    search_fields = (
        "name",
        "subprocessor__name",
        "source__vendor__name",
        "source__url",
        "purpose",
        "location",
    )
    list_select_related = ("subprocessor", "source__vendor")
    autocomplete_fields = ("source", "subprocessor")
    date_hierarchy = "first_seen_at"

    @admin.display(description=_("vendor"), ordering="source__vendor__name")
    def vendor(self, listing: Listing) -> str:
        return listing.source.vendor.name

    @admin.display(description=_("current"), boolean=True)
    def is_current(self, listing: Listing) -> bool:
        return listing.is_current


class NotificationInline(admin.TabularInline):
    model = Notification
    extra = 0
    fields = ("recipient", "rule", "status", "attempts", "sent_at", "last_error")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Notification]:
        return super().get_queryset(request).select_related("rule")


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    list_display = (
        "detected_at",
        "vendor",
        "kind",
        "subprocessor",
        "published_name",
        "review_status",
        "objection_deadline",
    )
    list_filter = (
        "kind",
        "review_status",
        ("source__vendor", admin.RelatedOnlyFieldListFilter),
        "detected_at",
    )
    search_fields = ("subprocessor__name", "source__vendor__name", "source__url")
    list_select_related = ("source__vendor", "subprocessor")
    date_hierarchy = "detected_at"
    fields = (
        "source",
        "subprocessor",
        "kind",
        "fields",
        "before",
        "after",
        "detected_at",
        "objection_deadline",
        "review_status",
        "reviewed_by",
        "reviewed_at",
        "check_run",
        "old_snapshot",
        "new_snapshot",
    )
    readonly_fields = (
        "source",
        "subprocessor",
        "kind",
        "fields",
        "before",
        "after",
        "detected_at",
        "reviewed_by",
        "reviewed_at",
        "check_run",
        "old_snapshot",
        "new_snapshot",
    )
    inlines = [NotificationInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # changes come from checks, not from typing

    def get_queryset(self, request: HttpRequest) -> QuerySet[Change]:
        return (
            super()
            .get_queryset(request)
            .select_related(
                *self.list_select_related,
                "old_snapshot",
                "new_snapshot",
                "check_run",
                "reviewed_by",
            )
            .defer("old_snapshot__body_compressed", "new_snapshot__body_compressed")
        )

    @admin.display(description=_("vendor"), ordering="source__vendor__name")
    def vendor(self, change: Change) -> str:
        return change.source.vendor.name

    @admin.display(description=_("name as published"))
    def published_name(self, change: Change) -> str:
        return str(change.row.get("name", ""))

    def save_model(self, request: HttpRequest, obj: Change, form, change: bool) -> None:
        if "review_status" in form.changed_data:
            obj.reviewed_by = request.user
            obj.reviewed_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "recipient_list", "vendor_count", "additions_only", "is_active")
    list_filter = ("is_active", "additions_only")
    search_fields = ("name", "recipients")
    autocomplete_fields = ("vendors",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[AlertRule]:
        watched = AlertRule.vendors.through.objects.filter(alertrule=OuterRef("pk"))
        return super().get_queryset(request).annotate(_vendor_count=count_per(watched, "alertrule"))

    @admin.display(description=_("recipients"))
    def recipient_list(self, rule: AlertRule) -> str:
        return ", ".join(rule.recipients)

    @admin.display(description=_("vendors"), ordering="_vendor_count")
    def vendor_count(self, rule: AlertRule) -> str:
        return str(rule._vendor_count) if rule._vendor_count else _("all")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "recipient",
        "status",
        "attempts",
        "change",
        "rule",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = ("status",)
    search_fields = ("recipient", "change__subprocessor__name")
    list_select_related = ("change", "rule")
    date_hierarchy = "created_at"
    fields = (
        "rule",
        "change",
        "recipient",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "last_error",
        "created_at",
    )
    readonly_fields = fields
