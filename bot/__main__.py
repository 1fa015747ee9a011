"""`python -m bot` runs every configured messenger; subcommands are admin tools."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys

from bot.config import ConfigError, load_settings
from bot.logs import setup_logging


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="hr-bot: Telegram + VK HR bot"
    )
    parser.add_subparsers(dest="command", metavar="COMMAND")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(require_messenger=args.command is None)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    secrets = [s.get_secret_value() for s in (settings.bot_token, settings.vk_token) if s]
    setup_logging(settings.log_level, secrets)

    from bot.app import run

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
