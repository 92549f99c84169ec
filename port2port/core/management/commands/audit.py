"""`port2port audit verify`: check that nobody changed the past of the audit log."""

from django.core.management.base import BaseCommand, CommandError

from port2port.core.audit import verify_chain


class Command(BaseCommand):
    help = "Work with the audit log. `audit verify` recomputes the hash chain and lists every break."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify}")
        subcommands.add_parser(
            "verify",
            help="Check every entry against its hash and its predecessor; exit 1 on any problem.",
        )

    def handle(self, *, subcommand: str, **options):
        # Only one subcommand today; the parser has already refused any other.
        result = verify_chain()
        self.stdout.write(f"Checked {result.checked} audit entries.")
        for problem in result.problems:
            self.stdout.write(self.style.ERROR(problem))
        if not result.ok:
            raise CommandError(f"The audit log has {len(result.problems)} problem(s).", returncode=1)
        self.stdout.write(self.style.SUCCESS("The audit chain is intact."))
