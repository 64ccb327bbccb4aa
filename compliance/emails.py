"""The one email builder: every message has a subject, a text part and an HTML part,
rendered from templates/emails/<name>-subject.txt, -body.txt and -body.html."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from compliance.models import Change


def build(name: str, context: dict, to: Sequence[str]) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{name}-subject.txt", context)
        text = render_to_string(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
    )
    message.attach_alternative(html, "text/html")
    return message


def changes_email(recipient: str, changes: Sequence[Change]) -> EmailMultiAlternatives:
    """One message about the changes one check found, for one recipient."""
    items = [
        {
            "change": change,
            "row": change.row,
            "url": settings.SITE_URL + reverse("change_detail", args=[change.id]),
        }
        for change in changes
    ]
    source = changes[0].source
    context = {
        "vendor": source.vendor,
        "source": source,
        "items": items,
        "first": items[0],
        "count": len(items),
        "site_url": settings.SITE_URL,
    }
    return build("changes", context, [recipient])
