"""Subwatch's data: vendors and their list sources, the evidence of every check,
the current listing, typed changes and the alerts they trigger."""

from __future__ import annotations

import zlib
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _default_interval() -> timedelta:
    return timedelta(hours=settings.SUBWATCH_DEFAULT_INTERVAL_HOURS)


class Vendor(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    website = models.URLField(_("website"), blank=True)
    notice_days = models.PositiveIntegerField(
        _("notice period (days)"),
        default=30,
        help_text=_("Days a customer has to object after a new subprocessor is announced."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    class Format(models.TextChoices):
        AUTO = "auto", _("Detect")
        HTML = "html", _("HTML")
        MARKDOWN = "markdown", _("Markdown")
        RST = "rst", _("reStructuredText")
        PDF = "pdf", _("PDF")
        JSON = "json", _("JSON")

    class Outcome(models.TextChoices):
        PENDING = "", _("Not checked yet")
        BASELINE = "baseline", _("Baseline")
        UNCHANGED = "unchanged", _("Unchanged")
        CHANGED = "changed", _("Changed")
        SUSPICIOUS = "suspicious", _("Suspicious")
        FAILED = "failed", _("Failed")

    vendor = models.ForeignKey(
        Vendor, on_delete=models.CASCADE, related_name="sources", verbose_name=_("vendor")
    )
    url = models.URLField(_("list URL"), max_length=2000, unique=True)
    format = models.CharField(_("format"), max_length=10, choices=Format, default=Format.AUTO)
    hint = models.CharField(
        _("CSS selector hint"),
        max_length=300,
        blank=True,
        help_text=_("Optional: the element holding the list, for a page the parser misses."),
    )
    check_interval = models.DurationField(_("check interval"), default=_default_interval)
    enabled = models.BooleanField(_("enabled"), default=True)
    next_check_at = models.DateTimeField(_("next check"), default=timezone.now)
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    last_outcome = models.CharField(
        _("last outcome"), max_length=12, choices=Outcome, default=Outcome.PENDING, blank=True
    )
    last_error = models.TextField(_("last error"), blank=True)
    warning = models.TextField(
        _("warning"), blank=True, help_text=_("Why the last check was not applied, if it was not.")
    )
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    current_snapshot = models.ForeignKey(
        "Snapshot", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Hash of the rows last applied: a new body with the same rows is not a change.
    rows_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["vendor__name", "url"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        indexes = [
            # Serves the dispatcher's query: enabled sources with next_check_at <= now.
            models.Index(
                fields=["next_check_at"], name="source_due_idx", condition=Q(enabled=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vendor.name}: {self.url}"

    @property
    def has_baseline(self) -> bool:
        return bool(self.rows_hash)


class Snapshot(models.Model):
    """One distinct version of a source's document, kept as evidence."""

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="snapshots", verbose_name=_("source")
    )
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64)
    body_compressed = models.BinaryField(_("body (zlib)"))
    url = models.URLField(_("URL fetched"), max_length=2000)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"))
    size = models.PositiveIntegerField(_("size (bytes)"))
    fetched_at = models.DateTimeField(_("first fetched"), default=timezone.now)

    class Meta:
        ordering = ["-fetched_at"]
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "content_hash"], name="snapshot_unique_content"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_id} @ {self.fetched_at:%Y-%m-%d %H:%M} ({self.content_hash[:12]})"

    @property
    def body(self) -> bytes:
        return zlib.decompress(bytes(self.body_compressed))


class Check(models.Model):
    """Every attempt to check a source: the audit trail."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        BASELINE = "baseline", _("Baseline")
        UNCHANGED = "unchanged", _("Unchanged")
        CHANGED = "changed", _("Changed")
        SUSPICIOUS = "suspicious", _("Suspicious")
        FAILED = "failed", _("Failed")

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="checks", verbose_name=_("source")
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome, default=Outcome.RUNNING
    )
    error = models.TextField(_("error"), blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.SET_NULL, null=True, blank=True, related_name="checks"
    )
    rows_found = models.PositiveIntegerField(_("rows found"), null=True, blank=True)
    changes_count = models.PositiveIntegerField(_("changes"), default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("check")
        verbose_name_plural = _("checks")
        indexes = [models.Index(fields=["source", "-started_at"], name="check_source_recent_idx")]

    def __str__(self) -> str:
        return f"{self.source_id} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"


class Subprocessor(models.Model):
    """A canonical entity, seen under one or more published names."""

    name = models.CharField(_("canonical name"), max_length=300, unique=True)
    aliases = models.JSONField(_("names seen"), default=list, blank=True)
    created_at = models.DateTimeField(_("first seen"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("subprocessor")
        verbose_name_plural = _("subprocessors")

    def __str__(self) -> str:
        return self.name


class Listing(models.Model):
    """A source's current (and past) rows, one per subprocessor."""

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="listings", verbose_name=_("source")
    )
    subprocessor = models.ForeignKey(
        Subprocessor,
        on_delete=models.PROTECT,
        related_name="listings",
        verbose_name=_("subprocessor"),
    )
    name = models.CharField(_("name as published"), max_length=500)
    purpose = models.TextField(_("purpose"), blank=True)
    location = models.TextField(_("location"), blank=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    section = models.CharField(_("section"), max_length=300, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    class Meta:
        ordering = ["subprocessor__name"]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "subprocessor"], name="listing_unique_per_source"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.removed_at is None


class Change(models.Model):
    class Kind(models.TextChoices):
        ADDED = "added", _("Added")
        REMOVED = "removed", _("Removed")
        MODIFIED = "modified", _("Modified")

    class Review(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Accepted")
        OBJECTED = "objected", _("Objected")

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="changes", verbose_name=_("source")
    )
    subprocessor = models.ForeignKey(
        Subprocessor,
        on_delete=models.PROTECT,
        related_name="changes",
        verbose_name=_("subprocessor"),
    )
    check_run = models.ForeignKey(
        Check,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("check"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    # For modified changes: which of purpose / location / countries changed.
    fields = models.JSONField(_("fields changed"), default=list, blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    old_snapshot = models.ForeignKey(
        Snapshot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    new_snapshot = models.ForeignKey(
        Snapshot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    detected_at = models.DateTimeField(_("detected"), default=timezone.now)
    objection_deadline = models.DateTimeField(_("objection deadline"))
    review_status = models.CharField(
        _("review status"), max_length=10, choices=Review, default=Review.NEW
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        ordering = ["-detected_at", "id"]
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        indexes = [models.Index(fields=["-detected_at"], name="change_recent_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.row.get('name', '')}"

    @property
    def row(self) -> dict:
        """The row this change is about: after for additions and edits, before for removals."""
        return self.before if self.kind == self.Kind.REMOVED else self.after


class AlertRule(models.Model):
    name = models.CharField(_("name"), max_length=200, blank=True)
    recipients = models.JSONField(_("recipients"), default=list)
    vendors = models.ManyToManyField(
        Vendor,
        blank=True,
        related_name="alert_rules",
        verbose_name=_("vendors"),
        help_text=_("Leave empty to watch every vendor."),
    )
    additions_only = models.BooleanField(_("additions only"), default=False)
    # Canonical entity names; empty means any entity.
    watched_entities = models.JSONField(_("watched entities"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")

    def __str__(self) -> str:
        return self.name or ", ".join(self.recipients)


class Notification(models.Model):
    """One email owed to one recipient about one change, made unique in the database
    so that a retried task can never send it twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    rule = models.ForeignKey(
        AlertRule, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("rule")
    )
    change = models.ForeignKey(
        Change, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("change")
    )
    recipient = models.EmailField(_("recipient"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "recipient", "change"], name="notification_once_per_recipient"
            )
        ]
        indexes = [
            # Serves the delivery sweep: pending notifications whose next attempt is due.
            models.Index(
                fields=["next_attempt_at"],
                name="notification_due_idx",
                condition=Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient} / change {self.change_id} ({self.status})"
