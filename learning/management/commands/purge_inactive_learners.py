"""Retention: warn learners nearing two years without use, then delete them.

Run it once a day (cron or a systemd timer). Without --apply it only says what it would do.
"""

from django.core.management.base import BaseCommand, CommandError

from learning.services.privacy import access_logs_purge, inactive_learners_purge


class Command(BaseCommand):
    help = (
        "Warn learners who have not used the platform for almost two years and delete those "
        "warned long enough ago (anonymous totals are kept). Dry run unless --apply."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply",
            action="store_true",
            help="Really warn and delete; without it, change nothing.",
        )
        parser.add_argument(
            "--inactive-days",
            type=int,
            default=730,
            help="Delete after this many days without use (default 730: two years).",
        )
        parser.add_argument(
            "--warning-days",
            type=int,
            default=30,
            help="Warn this many days before deleting, and wait at least this long after "
            "the warning (default 30).",
        )

    def handle(self, *args, apply, inactive_days, warning_days, **options):
        self.verbosity = options["verbosity"]
        try:
            report = inactive_learners_purge(
                dry_run=not apply, inactive_days=inactive_days, warning_days=warning_days
            )
        except ValueError as error:
            raise CommandError(
                "--warning-days moet 0 of meer zijn en kleiner dan --inactive-days."
            ) from error

        old_looks = access_logs_purge(dry_run=not apply)
        # Operators at the Digibanken read this: plain Dutch, as in seed_demo.
        if report.dry_run:
            self.stdout.write(
                f"{old_looks} keer 'meegekeken' ouder dan een jaar zou gewist worden."
            )
            self.stdout.write(
                "Proefdraai: er verandert niets. Gebruik --apply om het echt te doen."
            )
            self.stdout.write(
                f"{report.would_warn} leerder(s) zouden een waarschuwing krijgen "
                f"(al {inactive_days - warning_days} dagen niet gebruikt)."
            )
            self.stdout.write(
                f"{report.would_delete} leerder(s) zouden verwijderd worden "
                f"({inactive_days} dagen niet gebruikt en minstens {warning_days} dagen "
                "gewaarschuwd)."
            )
            if report.unwarned:
                self.stdout.write(
                    f"{report.unwarned} leerder(s) kwamen terug na de waarschuwing: "
                    "die waarschuwing zou vervallen."
                )
            self._ids("Te waarschuwen", report.would_warn_ids)
            self._ids("Te verwijderen", report.would_delete_ids)
            return
        self.stdout.write(f"{old_looks} keer 'meegekeken' ouder dan een jaar gewist.")
        self.stdout.write(f"{report.warned} leerder(s) kregen een waarschuwing.")
        self.stdout.write(
            f"{report.deleted} leerder(s) verwijderd. Hun certificaten zijn ingetrokken. "
            "Alleen anonieme totalen per maand blijven bewaard."
        )
        if report.unwarned:
            self.stdout.write(
                f"{report.unwarned} leerder(s) kwamen terug na de waarschuwing: "
                "die waarschuwing is vervallen."
            )
        self._ids("Gewaarschuwd", report.warned_ids)
        self._ids("Verwijderd", report.deleted_ids)

    def _ids(self, label, ids):
        # Internal row numbers only (no names exist); with -v 2, for checking a dry run.
        if ids and self.verbosity >= 2:
            self.stdout.write(f"{label}: " + ", ".join(str(pk) for pk in ids))
