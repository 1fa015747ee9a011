"""What a handler gets: the event, the user, the reply port, services and the translator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.domain import DialogState, User
from bot.events import Event, Reply
from bot.i18n import Markup, Translator
from bot.notify import Notifier
from bot.services import Services
from bot.ui import Screen

if TYPE_CHECKING:
    from handlers.registry import Registry


@dataclass(slots=True)
class Context:
    event: Event
    user: User
    reply: Reply
    services: Services
    tr: Translator
    registry: Registry
    notifier: Notifier
    state: DialogState | None = None
    is_new: bool = False

    @property
    def locale(self) -> str:
        return self.user.locale

    def t(self, key: str, **args: Any) -> Markup:
        return self.tr(self.user.locale, key, **args)

    async def show(self, screen: Screen) -> None:
        """Replace the pressed screen in place, or send a new message for typed input."""
        if self.event.is_button:
            await self.reply.edit(screen)
        else:
            await self.reply.send(screen)

    async def set_state(self, name: str, **data: Any) -> None:
        await self.services.dialogs.set(self.user.id, name, data)
        self.state = DialogState(self.user.id, name, data)

    async def clear_state(self) -> None:
        if self.state is not None:
            await self.services.dialogs.clear(self.user.id)
            self.state = None
