"""The registry maps commands, button actions, dialog states and deep links to handlers.

Routing for one event:
1. a button press goes to the handler of its action name; malformed, unknown or forbidden
   data goes to `on_stale` (the user is told the button is out of date and gets the menu);
2. a command goes to its handler (leaving any dialog); an unknown one goes to `on_unknown`;
3. a message while in a dialog goes to that dialog state's handler;
4. the first message of a new user and VK's "Start" button go to the start command;
5. anything else goes to `on_unknown` (a polite hint and the menu).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Collection, Hashable
from dataclasses import dataclass
from typing import Any

from bot.domain import Role
from bot.i18n import Translator
from bot.services import Services
from bot.ui import Action, InlineCard
from handlers.context import Context

Handler = Callable[[Context], Awaitable[None]]
_REF_PREFIX = re.compile(r"^([a-z]+)")
InlineProvider = Callable[[Translator, str, Services], Awaitable[InlineCard]]
ALL_ROLES: frozenset[Role] = frozenset(Role)
STAFF: frozenset[Role] = frozenset({Role.EMPLOYEE, Role.ADMIN})
ADMINS: frozenset[Role] = frozenset({Role.ADMIN})


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: str
    handler: Handler
    roles: frozenset[Role]
    description_key: str | None  # shown in the messenger's command menu when set


@dataclass(frozen=True, slots=True)
class ActionSpec:
    name: str
    handler: Handler
    roles: frozenset[Role]


@dataclass(frozen=True, slots=True)
class MenuEntry:
    label_key: str
    action: Action
    roles: frozenset[Role]
    order: int


class Registry:
    def __init__(self) -> None:
        self.commands: dict[str, CommandSpec] = {}
        self.actions: dict[str, ActionSpec] = {}
        self.states: dict[str, Handler] = {}
        self.refs: dict[str, Handler] = {}
        self.menu_entries: list[MenuEntry] = []
        self.inline_providers: list[InlineProvider] = []
        self.on_unknown: Handler | None = None
        self.on_stale: Handler | None = None
        self.on_forbidden: Handler | None = None
        self._built: dict[Hashable, Any] = {}

    def built(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """Something static (a menu for a locale and role) built once and then reused; what is
        built must be immutable."""
        found = self._built.get(key)
        if found is None:
            found = build()
            if len(self._built) < 10_000:
                self._built[key] = found
        return found

    def command(
        self, name: str, *, roles: Collection[Role] = ALL_ROLES, description_key: str | None = None
    ) -> Callable[[Handler], Handler]:
        def decorator(handler: Handler) -> Handler:
            if name in self.commands:
                raise ValueError(f"command /{name} registered twice")
            self.commands[name] = CommandSpec(name, handler, frozenset(roles), description_key)
            return handler

        return decorator

    def action(
        self, name: str, *, roles: Collection[Role] = ALL_ROLES
    ) -> Callable[[Handler], Handler]:
        Action(name).pack()  # validates the name

        def decorator(handler: Handler) -> Handler:
            if name in self.actions:
                raise ValueError(f"action {name} registered twice")
            self.actions[name] = ActionSpec(name, handler, frozenset(roles))
            return handler

        return decorator

    def state(self, name: str) -> Callable[[Handler], Handler]:
        def decorator(handler: Handler) -> Handler:
            if name in self.states:
                raise ValueError(f"dialog state {name} registered twice")
            self.states[name] = handler
            return handler

        return decorator

    def ref(self, prefix: str) -> Callable[[Handler], Handler]:
        """Handle deep links whose payload starts with the letters `prefix` (`v12-src`: `v`)."""

        def decorator(handler: Handler) -> Handler:
            self.refs[prefix] = handler
            return handler

        return decorator

    def inline(self, provider: InlineProvider) -> InlineProvider:
        """Offer a card in Telegram inline mode (typing @bot in any chat)."""
        self.inline_providers.append(provider)
        return provider

    def has_action(self, name: str) -> bool:
        return name in self.actions

    def menu(
        self,
        label_key: str,
        action: Action,
        *,
        roles: Collection[Role] = ALL_ROLES,
        order: int = 50,
    ) -> None:
        self.menu_entries.append(MenuEntry(label_key, action, frozenset(roles), order))
        self.menu_entries.sort(key=lambda entry: entry.order)

    def menu_for(self, role: Role) -> list[MenuEntry]:
        return [entry for entry in self.menu_entries if role in entry.roles]

    def commands_for(self, role: Role) -> list[CommandSpec]:
        return [
            spec
            for spec in self.commands.values()
            if spec.description_key is not None and role in spec.roles
        ]

    def ref_handler(self, ref: str) -> Handler | None:
        match = _REF_PREFIX.match(ref)
        return self.refs.get(match.group(1)) if match else None

    async def route(self, ctx: Context) -> None:
        event = ctx.event
        if event.is_button:
            await self._route_button(ctx)
            return
        if event.command is not None:
            spec = self.commands.get(event.command)
            if spec is None:
                await self._call(self.on_unknown, ctx)
            elif ctx.user.role not in spec.roles:
                await self._call(self.on_forbidden, ctx)
            else:
                await ctx.clear_state()
                await spec.handler(ctx)
            return
        if ctx.state is not None and ctx.state.name in self.states:
            await self.states[ctx.state.name](ctx)
            return
        if ctx.is_new and "start" in self.commands:
            await self.commands["start"].handler(ctx)
            return
        await self._call(self.on_unknown, ctx)

    async def _route_button(self, ctx: Context) -> None:
        action = ctx.event.action
        spec = self.actions.get(action.name) if action is not None else None
        if spec is None:
            await self._call(self.on_stale, ctx)
        elif ctx.user.role not in spec.roles:
            await self._call(self.on_forbidden, ctx)
        else:
            await spec.handler(ctx)
        if not ctx.reply.answered:
            await ctx.reply.toast()

    async def stale(self, ctx: Context) -> None:
        """Answer data that no longer points at anything (a forged or out-of-date button)."""
        await self._call(self.on_stale, ctx)

    @staticmethod
    async def _call(handler: Handler | None, ctx: Context) -> None:
        if handler is not None:
            await handler(ctx)
