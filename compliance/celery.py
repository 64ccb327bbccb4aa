"""The Celery app. Workers and the single scheduler (beat) both start from here."""

import os

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES

# The embedded default's broker (see compliance/broker.py).
TRANSPORT_ALIASES.setdefault("localfs", "compliance.broker:Transport")

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compliance.settings")

app = Celery("compliance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
