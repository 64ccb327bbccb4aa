from django.core.management.base import BaseCommand, CommandError

from compliance.services.alerts import AlertRuleError, alert_rule_create


class Command(BaseCommand):
    help = "Email ADDRESS when a vendor's subprocessor list changes."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", action="append", required=True, help="Recipient (repeat).")
        parser.add_argument("--vendor", action="append", default=[], help="Vendor slug (repeat).")
        parser.add_argument(
            "--entity", action="append", default=[], help="Only changes about this entity."
        )
        parser.add_argument("--additions-only", action="store_true")
        parser.add_argument("--name", default="")

    def handle(self, *args, **opts) -> None:
        try:
            rule = alert_rule_create(
                emails=opts["email"],
                vendor_slugs=opts["vendor"],
                entities=opts["entity"],
                additions_only=opts["additions_only"],
                name=opts["name"],
            )
        except AlertRuleError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(f"alert rule {rule.id}")
