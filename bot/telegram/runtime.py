"""Telegram runtime: Bot + Dispatcher factories, command menus, polling and webhook modes."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ChatMemberStatus, ChatType, ParseMode
from aiogram.exceptions import TelegramAPIError
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    CallbackQuery,
    ChatMemberUpdated,
    InlineQuery,
    LinkPreviewOptions,
    Message,
)

from bot.config import Settings
from bot.core import Core
from bot.domain import Platform, Role
from bot.events import Event
from bot.i18n import Translator
from bot.metrics import Metrics
from bot.telegram.inline import answer_inline
from bot.telegram.messenger import TelegramMessenger
from bot.telegram.middlewares import UpdateMiddleware
from bot.telegram.reply import TelegramReply
from bot.telegram.session import LeanSession
from bot.telegram.traffic import TelegramTraffic, TrafficMiddleware
from bot.throttle import Throttle

log = logging.getLogger(__name__)
POLLING_TIMEOUT = 25


def create_bot(
    token: str,
    api_url: str,
    traffic: TelegramTraffic | None = None,
    metrics: Metrics | None = None,
) -> Bot:
    session = LeanSession(api=TelegramAPIServer.from_base(api_url))
    session.middleware(TrafficMiddleware(traffic or TelegramTraffic(), metrics=metrics))
    return Bot(
        token,
        session=session,
        # `link_preview_options` (Bot API 7.0+), not the deprecated `disable_web_page_preview`
        # that aiogram's `link_preview_is_disabled` default would also send
        default=DefaultBotProperties(
            parse_mode=ParseMode.HTML, link_preview=LinkPreviewOptions(is_disabled=True)
        ),
    )


def create_router(core: Core) -> Router:
    """Handlers of each update kind; `UpdateMiddleware` prepares the event and reply (and
    leaves group chatter alone: no router filter, which aiogram would run per update)."""
    router = Router(name="hr-bot")

    @router.message()
    async def on_message(message: Message, hr_event: Event, hr_reply: TelegramReply) -> None:
        await core.handle(hr_event, hr_reply)

    @router.callback_query()
    async def on_callback(query: CallbackQuery, hr_event: Event, hr_reply: TelegramReply) -> None:
        await core.handle(hr_event, hr_reply)
        if not hr_reply.answered:  # every press is answered, even when nothing matched
            await hr_reply.toast()

    @router.inline_query()
    async def on_inline(query: InlineQuery, bot: Bot) -> None:
        await answer_inline(query, bot, core)

    @router.my_chat_member()
    async def on_membership(update: ChatMemberUpdated) -> None:
        """A person blocked the bot or unblocked it: audience counts are right at once."""
        if update.chat.type != ChatType.PRIVATE:
            return
        status = update.new_chat_member.status
        if status in (ChatMemberStatus.KICKED, ChatMemberStatus.LEFT):
            await core.services.users.set_blocked(Platform.TELEGRAM, update.chat.id, True)
        elif status == ChatMemberStatus.MEMBER:
            await core.services.users.set_blocked(Platform.TELEGRAM, update.chat.id, False)

    return router


def create_dispatcher(core: Core, tr: Translator, throttle: Throttle) -> Dispatcher:
    """A fresh dispatcher wired to the core; tests build one per test."""

    async def on_blocked(chat_id: int) -> None:
        await core.services.users.mark_blocked(Platform.TELEGRAM, chat_id)

    dp = Dispatcher()
    middleware = UpdateMiddleware(tr, throttle, core.busy, on_blocked)
    for observer in (dp.message, dp.callback_query, dp.inline_query, dp.my_chat_member):
        observer.outer_middleware(middleware)
    dp.include_router(create_router(core))
    return dp


async def set_commands(bot: Bot, core: Core, admin_ids: list[int]) -> None:
    """The command menu in every locale (the default locale also without a language code)."""
    tr, registry = core.tr, core.registry

    def commands(locale: str, role: Role) -> list[BotCommand]:
        return [
            BotCommand(command=spec.name, description=tr(locale, spec.description_key or "")[:256])
            for spec in registry.commands_for(role)
        ]

    await bot.set_my_commands(commands(tr.default, Role.CANDIDATE))
    for locale in tr.locales:
        await bot.set_my_commands(commands(locale, Role.CANDIDATE), language_code=locale)
    for admin_id in admin_ids:
        scope = BotCommandScopeChat(chat_id=admin_id)
        try:
            await bot.set_my_commands(commands(tr.default, Role.ADMIN), scope=scope)
            for locale in tr.locales:
                await bot.set_my_commands(
                    commands(locale, Role.ADMIN), scope=scope, language_code=locale
                )
        except TelegramAPIError as error:  # the admin has not opened the bot yet
            log.info("admin command menu not set for %s: %s", admin_id, error.message)


class TelegramRuntime:
    def __init__(self, settings: Settings, core: Core, tr: Translator) -> None:
        assert settings.bot_token is not None
        self.settings = settings
        self.core = core
        self.bot = create_bot(
            settings.bot_token.get_secret_value(), settings.telegram_api_url, metrics=core.metrics
        )
        self.dp = create_dispatcher(
            core, tr, Throttle(settings.throttle_rate, settings.throttle_burst)
        )

    async def run(self, stop: asyncio.Event) -> None:
        me = await self.bot.get_me()
        log.info("Telegram: running as @%s", me.username)
        self.core.notifier.register(
            TelegramMessenger(self.bot, self._on_blocked, me.username or "")
        )
        try:
            await set_commands(self.bot, self.core, self.settings.admin_ids)
        except TelegramAPIError as error:  # the menu is a convenience: never fatal
            log.warning("command menu not set: %s", error)
        if self.settings.webhook_url:
            await self._run_webhook(stop)
        else:
            await self._run_polling(stop)

    async def _run_polling(self, stop: asyncio.Event) -> None:
        await self.bot.delete_webhook(drop_pending_updates=False)
        polling = asyncio.create_task(
            self.dp.start_polling(
                self.bot,
                handle_signals=False,
                close_bot_session=False,
                polling_timeout=POLLING_TIMEOUT,
                tasks_concurrency_limit=self.settings.max_concurrent_updates,
            )
        )
        stopper = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait({polling, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if polling in done:
            stopper.cancel()
            await polling  # propagate a crash of the polling loop
            return
        await self.dp.stop_polling()
        await polling

    async def _run_webhook(self, stop: asyncio.Event) -> None:
        from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
        from aiohttp import web

        assert self.settings.webhook_url is not None and self.settings.webhook_secret is not None
        secret = self.settings.webhook_secret.get_secret_value()
        app = web.Application()
        path = urlsplit(self.settings.webhook_url).path or "/"
        SimpleRequestHandler(dispatcher=self.dp, bot=self.bot, secret_token=secret).register(
            app, path=path
        )
        setup_application(app, self.dp, bot=self.bot)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, self.settings.webhook_host, self.settings.webhook_port)
        await site.start()
        await self.bot.set_webhook(
            self.settings.webhook_url,
            secret_token=secret,
            max_connections=min(self.settings.max_concurrent_updates, 100),
            allowed_updates=self.dp.resolve_used_update_types(),
        )
        if self.core.metrics is not None:
            self.core.metrics.webhook_set(Platform.TELEGRAM)
        log.info("Telegram: webhook listening on %s", self.settings.webhook_port)
        try:
            await stop.wait()
        finally:
            await runner.cleanup()

    async def _on_blocked(self, chat_id: int) -> None:
        await self.core.services.users.mark_blocked(Platform.TELEGRAM, chat_id)

    async def close(self) -> None:
        await self.bot.session.close()
