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

import contextlib
import json
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
from aiohttp import ClientError

if TYPE_CHECKING:
    from aiogram import Bot

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

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - the signature aiogram calls
    ) -> TelegramType:
        files: dict[str, Any] = {}
        payload: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files, _dumps_json=False)
            if prepared:  # as aiogram's form: empty and false values are left out
                payload[key] = prepared
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

    def check_response(
        self, bot: Bot, method: TelegramMethod[TelegramType], status_code: int, content: str
    ) -> Response[TelegramType]:
        if status_code == 200 and isinstance(method, UNREAD):
            data: Any = None
            with contextlib.suppress(ValueError):  # aiogram reports it below
                data = self.json_loads(content)
            if isinstance(data, dict) and data.get("ok") is True:
                return Response[Any].model_construct(ok=True, result=True)
        return super().check_response(bot, method, status_code, content)
