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
    args = parser.parse_args(argv)
    try:
        settings = load_settings(require_messenger=args.command is None)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    secrets = [s.get_secret_value() for s in (settings.bot_token, settings.vk_token) if s]
    setup_logging(settings.log_level, secrets)

    if args.command == "import-vacancies":
        from bot.admin_cli import import_vacancies

        return asyncio.run(import_vacancies(settings, args.path))
    if args.command == "import-content":
        from bot.admin_cli import import_content

        return asyncio.run(import_content(settings, args.path))

    from bot.app import run

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
