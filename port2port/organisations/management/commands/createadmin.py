"""`port2port createadmin`: create a platform admin, who manages accounts and organisations.

A platform admin reads no organisation's reports by virtue of that role.
"""

import getpass
import sys

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from port2port.organisations.actions import create_account


class Command(BaseCommand):
    help = "Create a platform admin account (asks for the details, or reads them from the options)."
    # Tests hand in their own standard input, as Django's createsuperuser allows.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--email", help="The admin's e-mail address (the login).")
        parser.add_argument("--full-name", default=None, help="The admin's name, as others see it.")
        parser.add_argument("--password-stdin", action="store_true",
                            help="Read the password from the first line of standard input (for scripts).")

    def handle(self, *, email, full_name, password_stdin, **options):
        stdin = options.get("stdin") or sys.stdin
        interactive = not password_stdin and stdin.isatty()
        if not interactive and not (email and password_stdin):
            raise CommandError("Without a terminal, give --email and --password-stdin.")
        email = email or self._ask("E-mail: ")
        if full_name is None:
            full_name = self._ask("Full name (optional): ", required=False) if interactive else ""
        password = stdin.readline().rstrip("\r\n") if password_stdin else self._ask_password()
        self._check_password(password, email, full_name)
        try:
            user = create_account(acting_user=None, email=email, full_name=full_name, password=password,
                                  is_platform_admin=True)
        except ValidationError as error:
            raise CommandError(_messages(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Platform admin {user.email} created."))

    def _ask(self, prompt: str, required: bool = True) -> str:
        while True:
            answer = input(prompt).strip()
            if answer or not required:
                return answer
            self.stderr.write("This field is required.")

    def _ask_password(self) -> str:
        while True:
            password = getpass.getpass("Password: ")
            if password == getpass.getpass("Password (again): "):
                return password
            self.stderr.write("The two passwords differ; try again.")

    def _check_password(self, password: str, email: str, full_name: str) -> None:
        candidate = get_user_model()(email=email, full_name=full_name)
        try:
            password_validation.validate_password(password, user=candidate)
        except ValidationError as error:
            raise CommandError("password: " + " ".join(error.messages)) from None


def _messages(error: ValidationError) -> str:
    """`field: message` for each problem, so the person knows what to fix."""
    if hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)
