"""Command parsing shared by both runtimes."""

from __future__ import annotations


def parse_command(text: str, bot_username: str | None) -> tuple[str | None, str]:
    """`/start@my_bot abc` -> ("start", "abc"); (None, "") when the text is not a command."""
    if not text.startswith("/") or len(text) < 2:
        return None, ""
    head, _, args = text[1:].partition(" ")
    name, _, mention = head.partition("@")
    if mention and bot_username and mention.lower() != bot_username.lower():
        return None, ""
    if not name or not all(c.isalnum() or c == "_" for c in name):
        return None, ""
    return name.lower()[:32], args.strip()
