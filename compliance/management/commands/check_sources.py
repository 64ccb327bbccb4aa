from django.core.management.base import BaseCommand, CommandError

from compliance import selectors, tasks
from compliance.models import Vendor
from compliance.services.checks import source_check_now
from compliance.services.delivery import notifications_deliver


class Command(BaseCommand):
    help = (
        "Check sources. With --now, check them here, synchronously (no broker needed), "
        "then deliver the notifications that are due; without it, queue the checks."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--vendor", help="Only this vendor's sources (slug).")
        parser.add_argument("--now", action="store_true", help="Check in this process.")

    def handle(self, *args, **opts) -> None:
        sources = selectors.source_for_check().filter(enabled=True).order_by("id")
        if opts["vendor"]:
            if not Vendor.objects.filter(slug=opts["vendor"]).exists():
                raise CommandError(f"No vendor with slug {opts['vendor']!r}", returncode=2)
            sources = sources.filter(vendor__slug=opts["vendor"])
        if not opts["now"]:
            for source in sources:
                tasks.source_check.delay(source.id)
                self.stdout.write(f"{source.vendor.slug} {source.url}: queued")
            return
        for source in sources:
            check = source_check_now(source)
            detail = check.error or ""
            rows = "-" if check.rows_found is None else check.rows_found
            self.stdout.write(
                f"{source.vendor.slug} {source.url}: {check.outcome}, rows={rows}, "
                f"changes={check.changes_count}" + (f" ({detail})" if detail else "")
            )
        report = notifications_deliver()
        self.stdout.write(
            f"notifications: sent={report.sent} retrying={report.retrying} failed={report.failed}"
        )
