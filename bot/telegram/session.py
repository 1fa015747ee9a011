"""The Bot API session: aiogram's aiohttp session, leaner where a profile showed waste.

Measured (bench/load.py, py-spy):

- Turning the answer to every `editMessageText` back into a `Message` (text, entities, the whole
  inline keyboard, through pydantic) took a fifth of the event loop's time, and the bot never
  reads it: an edit, a button answer or a chat action only needs to know that it worked. For
  those methods a successful answer is returned as `True` (a value the Bot API itself gives for
  edits of inline messages); every error still goes through aiogram's own checks and
  exceptions. Everything else is parsed as usual.
- aiogram sends every request as a form, and percent-encoding long Cyrillic texts and keyboards
  cost more than anything else in building a request. A request without files goes as
  `application/json` (which the Bot API accepts for everything but uploads); uploads go as
  aiogram sends them.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    Response,
    SendChatAction,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import InlineKeyboardMarkup
from aiohttp import ClientError

if TYPE_CHECKING:
    from aiogram import Bot

#: The Bot API's answer begins with its `ok` field; a success needs no further reading.
_SUCCESS = re.compile(r'\s*\{\s*"ok"\s*:\s*true\s*[,}]')
KEYBOARDS = 2048
UNREAD = (
    AnswerCallbackQuery,
    DeleteMessage,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    SendChatAction,
)


class LeanSession(AiohttpSession):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("json_dumps", partial(json.dumps, ensure_ascii=False))
        super().__init__(**kwargs)
        self._markups: OrderedDict[int, tuple[Any, Any]] = OrderedDict()

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - the signature aiogram calls
    ) -> TelegramType:
        files: dict[str, Any] = {}
        payload: dict[str, Any] = {}
        markup = getattr(method, "reply_markup", None)
        cached = isinstance(markup, InlineKeyboardMarkup)
        dumped = method.model_dump(warnings=False, exclude={"reply_markup"} if cached else None)
        for key, value in dumped.items():
            prepared = self.prepare_value(value, bot=bot, files=files, _dumps_json=False)
            if prepared:  # as aiogram's form: empty and false values are left out
                payload[key] = prepared
        if cached:
            payload["reply_markup"] = self._markup(bot, markup)
        if files:
            return await super().make_request(bot, method, timeout)
        session = await self.create_session()
        url = self.api.api_url(token=bot.token, method=method.__api_method__)
        try:
            async with session.post(
                url,
                data=self.json_dumps(payload).encode(),
                headers={"Content-Type": "application/json"},
                timeout=self.timeout if timeout is None else timeout,  # type: ignore[arg-type]
            ) as resp:
                raw = await resp.text()
        except TimeoutError as error:
            raise TelegramNetworkError(method=method, message="Request timeout error") from error
        except ClientError as error:
            message = f"{type(error).__name__}: {error}"
            raise TelegramNetworkError(method=method, message=message) from error
        response = self.check_response(bot=bot, method=method, status_code=resp.status, content=raw)
        return cast(TelegramType, response.result)

    def _markup(self, bot: Bot, markup: Any) -> Any:
        """A keyboard as sent; the same keyboard objects come back (they are built once, see
        `bot.telegram.render`), so each is turned into JSON-ready data once."""
        found = self._markups.get(id(markup))
        if found is not None and found[0] is markup:
            self._markups.move_to_end(id(markup))
            return found[1]
        prepared = self.prepare_value(markup, bot=bot, files={}, _dumps_json=False)
        self._markups[id(markup)] = (markup, prepared)
        if len(self._markups) > KEYBOARDS:
            self._markups.popitem(last=False)
        return prepared

    def check_response(
        self, bot: Bot, method: TelegramMethod[TelegramType], status_code: int, content: str
    ) -> Response[TelegramType]:
        if status_code == 200 and isinstance(method, UNREAD) and _SUCCESS.match(content):
            return Response[Any].model_construct(ok=True, result=True)
        return super().check_response(bot, method, status_code, content)
