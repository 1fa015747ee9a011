"""Telegram runtime on aiogram 3."""
