"""`python -m bot` runs every configured messenger; subcommands are admin tools."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from pathlib import Path

from bot.config import ConfigError, load_settings
from bot.logs import setup_logging


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="hr-bot: Telegram + VK HR bot"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    importer = commands.add_parser(
        "import-vacancies", help="create or update vacancies from a TOML file (see README)"
    )
    importer.add_argument("path", type=Path)
    content = commands.add_parser(
        "import-content", help="create or update the employees' content library (see README)"
    )
    content.add_argument("path", type=Path)
    backup_parser = commands.add_parser(
        "backup",
        help="write a consistent backup (.tar: database and files) while the bot runs",
    )
    backup_parser.add_argument(
        "file", type=Path, nargs="?", help="the .tar to write (default: a new file in BACKUP_DIR)"
    )
    restore_parser = commands.add_parser(
        "restore", help="put a backup in place (the bot must be stopped); keeps the current aside"
    )
    restore_parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    try:
        settings = load_settings(require_messenger=args.command is None)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    secrets = [
        s.get_secret_value()
        for s in (
            settings.bot_token,
            settings.vk_token,
            settings.web_secret,
            settings.web_admin_token,
        )
        if s
    ]
    setup_logging(settings.log_level, secrets, settings.log_format)

    from bot.backup import DatabaseLocked
    from storage.database import MigrationError

    try:
        if args.command == "import-vacancies":
            from bot.admin_cli import import_vacancies

            return asyncio.run(import_vacancies(settings, args.path))
        if args.command == "import-content":
            from bot.admin_cli import import_content

            return asyncio.run(import_content(settings, args.path))
        if args.command == "backup":
            from bot.admin_cli import backup

            return backup(settings, args.file)
        if args.command == "restore":
            from bot.admin_cli import restore

            return restore(settings, args.file)

        from bot.app import StartupError, run

        try:
            with contextlib.suppress(KeyboardInterrupt):
                asyncio.run(run(settings))
        except DatabaseLocked as error:
            print(f"hr-bot did not start: {error}; stop that one first.", file=sys.stderr)
            return 1
        except StartupError as error:
            print(error, file=sys.stderr)
            return 1
    except MigrationError as error:
        print(error, file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
