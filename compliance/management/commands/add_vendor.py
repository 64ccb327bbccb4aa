from django.core.management.base import BaseCommand, CommandError

from compliance.models import Source
from compliance.services.vendors import VendorError, vendor_create


class Command(BaseCommand):
    help = "Register a vendor and the URL of its published subprocessor list; prints its slug."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--name", required=True, help="The vendor's name.")
        parser.add_argument("--url", required=True, help="URL of the subprocessor list.")
        parser.add_argument("--interval", type=float, default=None, help="Hours between checks.")
        parser.add_argument("--notice-days", type=int, default=30, help="Objection window.")
        parser.add_argument("--format", default="auto", choices=[f.value for f in Source.Format])
        parser.add_argument("--hint", default="", help="CSS selector of the list, if needed.")

    def handle(self, *args, **opts) -> None:
        try:
            vendor = vendor_create(
                name=opts["name"],
                url=opts["url"],
                interval_hours=opts["interval"],
                notice_days=opts["notice_days"],
                fmt=opts["format"],
                hint=opts["hint"],
            )
        except VendorError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(vendor.slug)
