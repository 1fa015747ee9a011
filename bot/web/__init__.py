"""The web chat: a third runtime beside Telegram and VK, served by the bot itself (aiohttp)."""
