"""Alert rules, and the notifications a set of changes owes to them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from compliance.models import AlertRule, Change, Notification, Vendor
from scrapers import entities as entity_names


class AlertRuleError(Exception):
    """A rule that cannot be created; the message says why, in one line."""


def alert_rule_create(
    *,
    emails: Sequence[str],
    vendor_slugs: Sequence[str] = (),
    entities: Sequence[str] = (),
    additions_only: bool = False,
    name: str = "",
) -> AlertRule:
    recipients = [e.strip() for e in emails if e.strip()]
    if not recipients:
        raise AlertRuleError(_("An alert rule needs at least one email address."))
    for address in recipients:
        try:
            validate_email(address)
        except ValidationError as exc:
            raise AlertRuleError(
                _("Not a valid email address: %(address)s") % {"address": address}
            ) from exc
    vendors = list(Vendor.objects.filter(slug__in=vendor_slugs))
    missing = sorted(set(vendor_slugs) - {v.slug for v in vendors})
    if missing:
        raise AlertRuleError(_("No vendor with slug: %(slugs)s") % {"slugs": ", ".join(missing)})
    watched = [entity_names.canonical_entity(e) for e in entities if e.strip()]
    with transaction.atomic():
        rule = AlertRule.objects.create(
            name=name,
            recipients=recipients,
            additions_only=additions_only,
            watched_entities=watched,
        )
        rule.vendors.set(vendors)
    return rule


def rule_matches(rule: AlertRule, change: Change, vendor_ids: set[int]) -> bool:
    """Does ``rule`` (with its vendors prefetched as ``vendor_ids``) ask to hear of ``change``?"""
    if vendor_ids and change.source.vendor_id not in vendor_ids:
        return False
    if rule.additions_only and change.kind != Change.Kind.ADDED:
        return False
    if rule.watched_entities:
        names = {change.subprocessor.name, change.row.get("name", "")}
        return any(
            entity_names.entities_match(w, n) for w in rule.watched_entities for n in names if n
        )
    return True


def notifications_create(changes: Iterable[Change]) -> list[Notification]:
    """Queue one notification per matching rule × recipient × change.

    The unique constraint makes a repeat harmless: a retried check cannot owe
    the same email twice.
    """
    changes = list(changes)
    if not changes:
        return []
    rules = list(AlertRule.objects.filter(is_active=True).prefetch_related("vendors"))
    notifications = []
    for rule in rules:
        vendor_ids = {v.id for v in rule.vendors.all()}
        for change in changes:
            if rule_matches(rule, change, vendor_ids):
                notifications += [
                    Notification(rule=rule, change=change, recipient=r) for r in rule.recipients
                ]
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    return notifications
