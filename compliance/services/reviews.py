"""A reviewer's decision on a change: accepted, or objected to within the notice period."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from compliance.models import Change

DECISIONS = (Change.Review.ACCEPTED, Change.Review.OBJECTED)


def change_review(change: Change, user: AbstractBaseUser, status: str) -> Change:
    """Record ``user``'s decision on ``change``. A later decision replaces an earlier one;
    who decided and when are kept on the change."""
    if status not in DECISIONS:
        raise ValueError(f"A review is 'accepted' or 'objected', not {status!r}.")
    change.review_status = status
    change.reviewed_by = user
    change.reviewed_at = timezone.now()
    change.save(update_fields=["review_status", "reviewed_by", "reviewed_at"])
    return change
