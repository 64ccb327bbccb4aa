"""Admin for what the lists contain and what changed: subprocessors, listings, changes,
alert rules and the notifications they produced."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import OuterRef, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.admin.common import ReadOnlyAdmin
from compliance.models import AlertRule, Change, Listing, Notification, Subprocessor
from compliance.selectors import count_per


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
    # Evidence and its trail are never edited; the review (and the deadline) can be.
    _evidence = ("source", "subprocessor", "kind", "fields", "before", "after", "detected_at")
    _trail = ("reviewed_by", "reviewed_at", "check_run", "old_snapshot", "new_snapshot")
    readonly_fields = (*_evidence, *_trail)
    fields = (*_evidence, "objection_deadline", "review_status", *_trail)
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
