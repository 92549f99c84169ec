"""The `port2port` command: Django's management commands with the project's settings.

`port2port demo`, `serve`, `worker`, `migrate`, `createadmin` and `audit verify` are management
commands of the project's apps; every other Django command works as well.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "port2port.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["port2port", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
