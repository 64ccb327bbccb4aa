"""Start-up chores: the folders the embedded default writes into."""

from django.conf import settings


def ensure_var_dirs() -> None:
    for sub in ("", "mail", "broker/queue", "broker/control"):
        (settings.VAR_DIR / sub).mkdir(parents=True, exist_ok=True)
