"""The world the property tests drive: a real core, registry, services and SQLite database, with
recording stand-ins at the edges (the Reply of each update, the messengers of the Notifier, the
broadcast engine's copy sender).

A template database is built once per test session: the example vacancies and content are
imported with the admin CLI functions, and a warm-up script run through the core registers a
candidate, a second candidate, an employee (joined with an invite) and an admin on each
messenger, with history: checklist marks, subscriptions, an issued task, submitted answers (so HR
got accept / reject buttons; one was rejected), an extension request, a share, a content request,
a scheduled broadcast and a draft one, and the screens of the admin tools. Every example starts
from a copy of that template with a fixed clock, so an example replays exactly when hypothesis
shrinks it.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiogram.types import CallbackQuery, Chat, Message
from aiogram.types import User as TgUser

from bot.broadcast.model import Broadcast
from bot.config import Settings
from bot.core import Core
from bot.domain import Platform
from bot.events import Event, OutFile
from bot.i18n import Translator
from bot.notify import Notifier
from bot.telegram.convert import from_callback, from_message
from bot.ui import TELEGRAM_LIMITS, VK_LIMITS, Action, Limits, Screen
from bot.vk.convert import from_message_event, from_message_new
from handlers import build_registry
from handlers.registry import Registry
from storage.database import Database
from tests.conftest import ADMIN_TG, ADMIN_VK, make_settings
from tests.property.checks import (
    broadcast_problems,
    caption_problems,
    screen_problems,
    toast_problems,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BOT_USERNAME = "hr_test_bot"
VK_SCREEN_NAME = "club1"
HR_GROUP_CHAT = -1001234567890
# the messengers the random events come from (the web chat has tests of its own: tests/web)
MESSENGERS = (Platform.TELEGRAM, Platform.VK)
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


#: what the property tests ran in this session (printed in pytest's terminal summary)
TALLY: dict[str, int] = {"examples": 0, "events": 0, "presses": 0, "dropped": 0}


# --- people -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    """Somebody who writes to the bot; `role` is what the template made of them."""

    key: str
    platform: Platform
    external_id: int
    role: str
    first_name: str
    last_name: str = ""
    username: str = ""
    language_code: str | None = "ru"

    def __repr__(self) -> str:
        return self.key


def _people(platform: Platform, base: int, admin: int) -> list[Person]:
    p = platform.value
    return [
        Person(f"{p}-candidate", platform, base + 1, "candidate", "Анна", "Петрова", "anna"),
        Person(f"{p}-candidate2", platform, base + 2, "candidate", "Bob & <Co>", "", "", "en"),
        Person(f"{p}-employee", platform, base + 3, "employee", "Ева", "Ким", "eva_k"),
        Person(f"{p}-admin", platform, admin, "admin", "Админ", "HR", "hr_admin"),
    ]


PEOPLE: list[Person] = [
    *_people(Platform.TELEGRAM, 100, ADMIN_TG),
    *_people(Platform.VK, 1100, ADMIN_VK),
]
NEWCOMERS: list[Person] = [
    Person(f"{platform.value}-new{n}", platform, base + n, "new", "", language_code=None)
    for platform, base in ((Platform.TELEGRAM, 50_000), (Platform.VK, 60_000))
    for n in range(3)
]


def person(key: str) -> Person:
    return next(p for p in (*PEOPLE, *NEWCOMERS) if p.key == key)


# --- recording ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Shown:
    platform: Platform
    chat_id: int
    screen: Screen
    how: str  # "send", "edit" (in place), "notify" (through the Notifier)


@dataclass(slots=True, repr=False)
class Recorder:
    """Everything the bot showed during one example and the problems found in it."""

    tr: Translator
    shown: list[Shown] = field(default_factory=list)
    files: list[tuple[Platform, int, OutFile, int]] = field(default_factory=list)
    copies: list[tuple[Platform, int, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: every action sent so far, oldest first: (platform, chat id, data)
    actions: list[tuple[Platform, int, str]] = field(default_factory=list)
    #: the actions of the last screen each chat got: (platform, chat id) -> data
    latest: dict[tuple[Platform, int], list[str]] = field(default_factory=dict)
    #: the plain text an admin typed for a broadcast: broadcast id -> text
    composed: dict[int, str] = field(default_factory=dict)
    apologies: list[str] = field(default_factory=list, init=False)
    more_text: str = field(default="", init=False)

    def __post_init__(self) -> None:
        self.apologies = [self.tr(locale, "error-generic") for locale in self.tr.locales]
        self.more_text = self.tr(self.tr.default, "more-buttons")

    def screen(self, platform: Platform, chat_id: int, screen: Screen, how: str) -> None:
        self.shown.append(Shown(platform, chat_id, screen, how))
        self.problems += screen_problems(platform, screen, self.more_text)
        if any(apology in screen.text for apology in self.apologies):
            self.problems.append(f"the generic apology was shown ({how} to {chat_id})")
        packed = [b.action.pack() for b in screen.buttons if b.action is not None]
        self.actions += [(platform, chat_id, data) for data in packed]
        if packed:
            self.latest[(platform, chat_id)] = packed

    def toast(self, text: str) -> None:
        self.problems += toast_problems(text)
        if any(apology in text for apology in self.apologies):
            self.problems.append("the generic apology was shown as a toast")

    def take_problems(self) -> list[str]:
        found, self.problems = self.problems, []
        return found


class RecordingReply:
    """The Reply of one update, behaving like the real ones where it matters: the platform's
    limits, `answered` (a message needs no answer; a press is answered by its first toast, later
    toasts are dropped), `edit` falls back to a new message when there is none to edit."""

    def __init__(
        self, recorder: Recorder, platform: Platform, chat_id: int, *, button: bool, message: bool
    ) -> None:
        self.limits: Limits = TELEGRAM_LIMITS if platform is Platform.TELEGRAM else VK_LIMITS
        self._recorder = recorder
        self._platform = platform
        self._chat_id = chat_id
        self._button = button
        self._message = message
        self._answered = not button
        self.answers = 0  # toasts that answered the press
        self.lost: list[str] = []  # notices given after the press was answered: never seen

    @property
    def answered(self) -> bool:
        return self._answered

    async def send(self, screen: Screen) -> None:
        self._recorder.screen(self._platform, self._chat_id, screen, "send")

    async def edit(self, screen: Screen) -> None:
        how = "edit" if self._message else "send"
        self._recorder.screen(self._platform, self._chat_id, screen, how)

    async def toast(self, text: str = "", *, alert: bool = False) -> None:
        if not self._button:
            return  # the real replies ignore it: there is no press to answer
        self._recorder.toast(text)
        if self._answered:
            if text:
                self.lost.append(text)
            return
        self._answered = True
        self.answers += 1


class RecordingMessenger:
    """A Messenger for the Notifier: sends and files are checked and recorded, never fail."""

    def __init__(self, platform: Platform, recorder: Recorder) -> None:
        self.platform = platform
        self.limits = TELEGRAM_LIMITS if platform is Platform.TELEGRAM else VK_LIMITS
        self._recorder = recorder

    async def send(self, chat_id: int, screen: Screen, key: str) -> bool:
        self._recorder.screen(self.platform, chat_id, screen, "notify")
        return True

    async def send_file(
        self, chat_id: int, file: OutFile, data: bytes | None, caption: str, key: str
    ) -> bool:
        if data is None and file.platform is not self.platform:
            self._recorder.problems.append(f"a file from {file.platform} sent by reference")
        self._recorder.problems += caption_problems(self.platform, caption)
        self._recorder.files.append((self.platform, chat_id, file, len(data or b"")))
        return True

    async def download(self, ref: str, max_bytes: int) -> bytes:
        return b"%PDF-1.4 a file the person sent\n"

    def deep_link(self, payload: str) -> str:
        if self.platform is Platform.TELEGRAM:
            return f"https://t.me/{BOT_USERNAME}?start={payload}"
        return f"https://vk.me/{VK_SCREEN_NAME}?ref={payload}"


class RecordingCopies:
    """The broadcast engine's copy sender (previews and test copies)."""

    def __init__(self, recorder: Recorder) -> None:
        self._recorder = recorder

    async def send_copy(self, broadcast: Broadcast, platform: Platform, chat_id: int) -> bool:
        typed = self._recorder.composed.get(broadcast.id)
        self._recorder.problems += broadcast_problems(broadcast, typed)
        self._recorder.copies.append((platform, chat_id, broadcast.id))
        return True

    async def settle(self, broadcast_id: int, seconds: float) -> None:
        return None


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


# --- events, built the way the runtimes build them ------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileSpec:
    """An attachment in neutral terms; each messenger shapes it its own way."""

    kind: str  # document, photo, sticker, voice, video, location, contact, audio, ...
    name: str | None = None
    ext: str = ""
    mime: str | None = None
    size: int | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    type: str
    start: int  # in characters
    end: int
    extra: str = ""  # url for text_link, language for pre, id for custom_emoji


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _tg_user(who: Person, first_name: str, language_code: str | None) -> TgUser:
    return TgUser(
        id=who.external_id,
        is_bot=False,
        first_name=first_name or "—",
        last_name=who.last_name or None,
        username=who.username or None,
        language_code=language_code,
    )


def _tg_entities(text: str, entities: Iterable[Entity]) -> list[dict[str, Any]]:
    found = []
    for entity in entities:
        start, end = min(entity.start, len(text)), min(entity.end, len(text))
        if end <= start:
            continue
        item: dict[str, Any] = {
            "type": entity.type,
            "offset": _utf16(text[:start]),
            "length": _utf16(text[start:end]),
        }
        if entity.type == "text_link":
            item["url"] = entity.extra or "https://example.com"
        elif entity.type == "pre" and entity.extra:
            item["language"] = entity.extra
        elif entity.type == "custom_emoji":
            item["custom_emoji_id"] = entity.extra or "5368324170671202286"
        found.append(item)
    return found


def _tg_attachment(spec: FileSpec, n: int) -> dict[str, Any]:
    uid = f"AgAD{n}"
    if spec.kind == "document":
        doc: dict[str, Any] = {"file_id": f"BQAC-{n}", "file_unique_id": uid}
        if spec.name is not None:
            doc["file_name"] = spec.name
        if spec.mime is not None:
            doc["mime_type"] = spec.mime
        if spec.size is not None:
            doc["file_size"] = spec.size
        return {"document": doc}
    if spec.kind == "photo":
        sizes = [
            {"file_id": f"AgAC-{n}-{i}", "file_unique_id": f"{uid}{i}", "width": w, "height": w}
            for i, w in enumerate((90, 320, 1280))
        ]
        if spec.size is not None:
            sizes[-1]["file_size"] = spec.size
        return {"photo": sizes}
    if spec.kind == "sticker":
        return {
            "sticker": {
                "file_id": f"CAAC-{n}",
                "file_unique_id": uid,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        }
    if spec.kind == "voice":
        return {"voice": {"file_id": f"AwAC-{n}", "file_unique_id": uid, "duration": 3}}
    if spec.kind == "video":
        return {
            "video": {
                "file_id": f"BAAC-{n}",
                "file_unique_id": uid,
                "width": 640,
                "height": 480,
                "duration": 5,
                "file_size": spec.size,
            }
        }
    if spec.kind == "location":
        return {"location": {"latitude": 55.75, "longitude": 37.61}}
    return {"contact": {"phone_number": "+70000000000", "first_name": "Контакт"}}


def telegram_message(
    who: Person,
    n: int,
    now: datetime,
    *,
    text: str | None,
    entities: Iterable[Entity] = (),
    attachment: FileSpec | None = None,
    first_name: str | None = None,
    language_code: str | None = None,
) -> Event | None:
    """An aiogram Message from `who` in their private chat, through `from_message`."""
    fields: dict[str, Any] = {}
    if attachment is not None:
        fields.update(_tg_attachment(attachment, n))
        if text:
            fields["caption"] = text
            fields["caption_entities"] = _tg_entities(text, entities) or None
    elif text is not None:
        fields["text"] = text
        ents = _tg_entities(text, entities)
        command = re.match(r"/\S+", text)
        if command:
            ents.insert(0, {"type": "bot_command", "offset": 0, "length": _utf16(command[0])})
        fields["entities"] = ents or None
    message = Message.model_validate(
        {
            "message_id": n,
            "date": now,
            "chat": Chat(id=who.external_id, type="private", first_name=who.first_name or None),
            "from_user": _tg_user(who, first_name or who.first_name, language_code),
            **fields,
        }
    )
    return from_message(message, BOT_USERNAME)


def telegram_press(
    who: Person,
    n: int,
    now: datetime,
    data: str | None,
    *,
    chat_id: int | None,
    first_name: str | None = None,
    language_code: str | None = None,
) -> Event:
    """A CallbackQuery on a bot message in `chat_id` (None: an inline-mode message)."""
    message = None
    if chat_id is not None:
        chat_type = "private" if chat_id > 0 else "supergroup"
        message = Message(
            message_id=n,
            date=now,
            chat=Chat(id=chat_id, type=chat_type, title=None if chat_id > 0 else "HR"),
            from_user=TgUser(id=1, is_bot=True, first_name="HR bot", username=BOT_USERNAME),
            text="…",
        )
    query = CallbackQuery(
        id=f"cb{n}",
        from_user=_tg_user(who, first_name or who.first_name, language_code),
        chat_instance="ci",
        message=message,
        inline_message_id=None if message is not None else f"inline{n}",
        data=data,
    )
    return from_callback(query)


_VK_LANG_IDS = {"ru": 0, "en": 3, "uk": 1, "de": 6}


def _vk_attachment(spec: FileSpec, n: int) -> dict[str, Any]:
    if spec.kind == "document":
        return {
            "type": "doc",
            "doc": {
                "id": n,
                "owner_id": 1,
                "title": spec.name or "",
                "ext": spec.ext,
                "size": spec.size if spec.size is not None else 0,
                "url": f"https://vk.com/doc1_{n}",
            },
        }
    if spec.kind == "photo":
        return {
            "type": "photo",
            "photo": {
                "id": n,
                "sizes": [
                    {"type": "s", "url": f"https://sun.userapi.com/s{n}.jpg", "width": 75},
                    {"type": "x", "url": f"https://sun.userapi.com/x{n}.jpg", "width": 604},
                ],
            },
        }
    if spec.kind == "sticker":
        return {"type": "sticker", "sticker": {"sticker_id": n, "product_id": 1}}
    kind = {"voice": "audio_message", "location": "geo", "contact": "link"}.get(
        spec.kind, spec.kind
    )
    return {"type": kind, kind: {"id": n}}


def vk_message_object(
    who: Person,
    n: int,
    now: datetime,
    *,
    text: str,
    attachment: FileSpec | None = None,
    payload: str | None = None,
    ref: str | None = None,
    ref_source: str | None = None,
    language_code: str | None = None,
) -> dict[str, Any]:
    """A Bots Long Poll `message_new` object (API 5.199)."""
    message: dict[str, Any] = {
        "date": int(now.timestamp()),
        "from_id": who.external_id,
        "id": n,
        "out": 0,
        "peer_id": who.external_id,
        "text": text,
        "conversation_message_id": n,
        "fwd_messages": [],
        "important": False,
        "is_hidden": False,
        "attachments": [_vk_attachment(attachment, n)] if attachment is not None else [],
    }
    if payload is not None:
        message["payload"] = payload
    if ref is not None:
        message["ref"] = ref
    if ref_source is not None:
        message["ref_source"] = ref_source
    client = {
        "button_actions": ["text", "vkpay", "open_app", "location", "open_link", "callback"],
        "keyboard": True,
        "inline_keyboard": True,
        "carousel": True,
        "lang_id": _VK_LANG_IDS.get(language_code or "", 0),
    }
    return {"message": message, "client_info": client}


def vk_event_object(who: Person, n: int, payload: object) -> dict[str, Any]:
    """A Bots Long Poll `message_event` object: a callback button press."""
    return {
        "user_id": who.external_id,
        "peer_id": who.external_id,
        "event_id": f"{n:012x}",
        "payload": payload,
        "conversation_message_id": n,
    }


def vk_message(obj: dict[str, Any]) -> Event | None:
    return from_message_new(obj)


def vk_press(obj: dict[str, Any]) -> Event | None:
    return from_message_event(obj)


# --- the database, as rows per person -------------------------------------------------------------

#: (table, key columns, owner expression): rows that belong to one person
OWNED: tuple[tuple[str, str, str], ...] = (
    ("users", "id", "id"),
    ("dialog_states", "user_id", "user_id"),
    ("checklist_marks", "user_id, item", "user_id"),
    ("vacancy_filters", "user_id", "user_id"),
    ("applications", "id", "user_id"),
    (
        "answers",
        "id",
        "(SELECT a.user_id FROM applications a WHERE a.id = answers.application_id)",
    ),
    ("consents", "id", "user_id"),
    ("touches", "user_id, vacancy_id", "user_id"),
    ("subscriptions", "kind, value, user_id", "user_id"),
    ("vacancy_notices", "vacancy_id, user_id", "user_id"),
    ("invites", "id", "COALESCE(used_by, created_by)"),
    ("employees", "user_id", "user_id"),
    ("shares", "id", "user_id"),
    ("content_requests", "id", "user_id"),
    ("broadcasts", "id", "author_id"),
    ("broadcast_deliveries", "id", "user_id"),
    ("audit_log", "id", "actor_id"),
    ("screenings", "id", "user_id"),
    (
        "interview_invites",
        "application_id",
        "(SELECT a.user_id FROM applications a WHERE a.id = interview_invites.application_id)",
    ),
    ("interviews", "id", "user_id"),
)
#: the company's rows, which only admins change (posts.rotation counts wordings handed out)
COMPANY: tuple[tuple[str, str], ...] = (
    ("vacancies", "id"),
    ("vacancy_hashtags", "tag, vacancy_id"),
    ("placements", "id"),
    ("posts", "id"),
    ("interview_slots", "id"),
)

Row = dict[str, Any]
Snapshot = dict[str, dict[tuple[Any, ...], tuple[int | None, tuple[Any, ...]]]]
COLUMNS: dict[str, tuple[str, ...]] = {}  # table -> its columns, in snapshot order


def snapshot(conn: sqlite3.Connection) -> Snapshot:
    """Every owned and company row: table -> key -> (owner's user id, the row's values)."""
    found: Snapshot = {}
    tables = [(table, keys, owner) for table, keys, owner in OWNED]
    tables += [(table, keys, "NULL") for table, keys in COMPANY]
    for table, keys, owner in tables:
        skip = keys.count(",") + 2
        cursor = conn.execute(f"SELECT {keys}, {owner}, * FROM {table}")
        if table not in COLUMNS:
            COLUMNS[table] = tuple(d[0] for d in cursor.description[skip:])
        found[table] = {row[: skip - 1]: (row[skip - 1], row[skip:]) for row in cursor}
    return found


def as_row(table: str, values: tuple[Any, ...] | None) -> Row | None:
    return None if values is None else dict(zip(COLUMNS[table], values, strict=True))


# --- one app, from a copy of the template ---------------------------------------------------------


@dataclass(slots=True)
class App:
    core: Core
    db: Database
    conn: sqlite3.Connection
    recorder: Recorder
    clock: Clock
    settings: Settings

    def user_id(self, who: Person) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM users WHERE platform = ? AND external_id = ?",
            (who.platform.value, who.external_id),
        ).fetchone()
        return int(row[0]) if row else None

    def state_of(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        row = self.conn.execute(
            "SELECT name FROM dialog_states WHERE user_id = ?", (user_id,)
        ).fetchone()
        return str(row[0]) if row else None

    def data_version(self) -> int:
        """SQLite's count of commits by other connections, as this one sees it."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def is_admin(self, who: Person) -> bool:
        return self.core.services.users.is_admin(who.platform, who.external_id)

    def last_broadcast(self) -> int:
        return int(self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM broadcasts").fetchone()[0])

    def erasures(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM erasures").fetchone()[0])


class Shared:
    """What examples of one session share: the translator and the registry (both immutable once
    built) and the settings."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.settings = make_settings(folder)
        self.translator = Translator.load(self.settings.default_locale)
        self.registry: Registry = build_registry()

    def __repr__(self) -> str:
        return f"Shared({self.folder})"

    @asynccontextmanager
    async def app(
        self, path: Path, clock: Clock | None = None, **overrides: Any
    ) -> AsyncIterator[App]:
        """The core over the database at `path`, wired as `bot.app.open_app` wires it, with
        recording messengers; `overrides` change settings (say, who the admins are)."""
        from bot.app import build_services

        clock = clock or Clock()
        settings = self.settings.model_copy(update={"database_path": path, **overrides})
        db = Database(path)
        await db.connect()
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA query_only = ON")
        try:
            recorder = Recorder(self.translator)
            services = build_services(settings, db, self.translator, clock)
            services.broadcasts.attach(RecordingCopies(recorder), lambda: None)

            async def locale_of(platform: Platform, external_id: int) -> str:
                user = await services.users.find(platform, external_id)
                return user.locale if user else self.translator.default

            notifier = Notifier(
                settings.hr_chat_id,
                {Platform.TELEGRAM: settings.admin_ids, Platform.VK: settings.vk_admin_ids},
                locale_of,
            )
            for platform in MESSENGERS:
                notifier.register(RecordingMessenger(platform, recorder))
            core = Core(services, self.registry, self.translator, notifier)
            yield App(core, db, conn, recorder, clock, settings)
        finally:
            conn.close()
            await db.close()


# --- driving the core ---------------------------------------------------------------------------


async def deliver(
    app: App,
    event: Event | None,
    *,
    who: Person,
    message: bool = True,
    names: tuple[str, str] | None = None,
) -> RecordingReply | None:
    """Hand one event to the core as the runtime would; None when the runtime would drop it."""
    if event is None:
        return None
    reply = RecordingReply(
        app.recorder, event.platform, event.chat_id, button=event.is_button, message=message
    )
    enrich = None
    if event.platform is Platform.VK:
        first, last = names or (who.first_name, who.last_name)

        async def with_name(event: Event) -> Event:  # what VkRuntime's users.get lookup adds
            return replace(event, first_name=first, last_name=last)

        enrich = with_name
    await app.core.handle(event, reply, enrich)
    # what the event set going in the background (the post to HR about an answer) belongs to
    # it: wait for it, so the checks after the event see all of its effects and none leaks
    # into the next person's event
    await app.core.notifier.drain(30)
    return reply


def actions_for(app: App, who: Person) -> list[str]:
    """Action data of the buttons shown to `who`, newest first."""
    return [
        data
        for platform, chat_id, data in reversed(app.recorder.actions)
        if platform is who.platform and chat_id == who.external_id
    ]


def applications_of(app: App, who: Person) -> list[tuple[int, int, str]]:
    """(id, vacancy id, status) of each application of `who`, oldest first."""
    rows = app.conn.execute(
        "SELECT a.id, a.vacancy_id, a.status FROM applications a "
        "JOIN users u ON u.id = a.user_id WHERE u.platform = ? AND u.external_id = ? "
        "ORDER BY a.id",
        (who.platform.value, who.external_id),
    )
    return [(int(row[0]), int(row[1]), str(row[2])) for row in rows]


async def press(
    app: App, who: Person, name: str, n: int, skip: int = 0, data: str | None = None
) -> RecordingReply | None:
    """Press the newest button (after `skip` others) shown to `who` whose action is `name`, or
    the one with `data` (the warm-up's way)."""
    found = [
        shown
        for shown in actions_for(app, who)
        if shown.split(":", 1)[0] == name and shown == (data or shown)
    ]
    if len(found) <= skip:
        raise AssertionError(f"the warm-up found no {data or name} button for {who!r}")
    data = found[skip]
    if who.platform is Platform.TELEGRAM:
        event: Event | None = telegram_press(who, n, app.clock(), data, chat_id=who.external_id)
    else:
        event = vk_press(vk_event_object(who, n, {"a": data}))
    return await deliver(app, event, who=who)


async def say(app: App, who: Person, text: str, n: int) -> RecordingReply | None:
    if who.platform is Platform.TELEGRAM:
        event = telegram_message(who, n, app.clock(), text=text, language_code=who.language_code)
    else:
        event = vk_message(
            vk_message_object(who, n, app.clock(), text=text, language_code=who.language_code)
        )
    return await deliver(app, event, who=who)


# --- the template ---------------------------------------------------------------------------------


class Template:
    """The database file every example starts from, with what the warm-up showed and made
    (a plain class: hypothesis prints a failing example's arguments, and this is one)."""

    def __init__(
        self,
        data: bytes,
        seed_actions: list[tuple[Platform, int, str]],
        latest: dict[tuple[Platform, int], list[str]],
        invite_codes: list[str],
        ids: dict[str, list[int]],
    ) -> None:
        self.data = data  # the database file
        self.seed_actions = seed_actions  # every button the warm-up showed
        self.latest = latest  # the buttons of the screen each chat was left with
        self.invite_codes = invite_codes  # unused invites
        self.ids = ids  # table -> ids, for planting dialog states

    def __repr__(self) -> str:
        return f"Template({len(self.data)} bytes, {len(self.seed_actions)} buttons)"


def _warm_up_problem(where: str, problems: list[str]) -> None:
    if problems:
        raise AssertionError(f"the warm-up broke an invariant at {where}: {problems}")


async def build_template(shared: Shared) -> Template:
    from bot.admin_cli import import_content, import_vacancies

    settings = shared.settings
    assert await import_vacancies(settings, EXAMPLES / "vacancies.toml") == 0
    assert await import_content(settings, EXAMPLES / "content.toml") == 0
    path = settings.database_path
    counter = iter(range(1, 1_000_000))
    codes: list[str] = []
    async with shared.app(path) as app:
        step: Callable[[], int] = lambda: next(counter)  # noqa: E731
        for who in PEOPLE:
            await say(app, who, "/start" if who.platform is Platform.TELEGRAM else "Начать", step())
        services = app.core.services
        # people first (their answers and requests reach both admins), then the admins, so
        # that each admin is left looking at their own last screen
        for platform in MESSENGERS:
            p = platform.value
            admin_user = await services.users.find(platform, person(f"{p}-admin").external_id)
            assert admin_user is not None
            invite = await services.advocacy.create_invite(admin_user.id, "Ева", "SMM")
            employee, candidate, candidate2 = (
                person(f"{p}-employee"),
                person(f"{p}-candidate"),
                person(f"{p}-candidate2"),
            )
            await say(app, employee, f"/join {invite.code}", step())
            # employee: a share and a content request
            await say(app, employee, "/content", step())
            await press(app, employee, "ct.c", step())
            await press(app, employee, "ct.p", step())
            await press(app, employee, "ct.done", step())
            await press(app, employee, "ct.nl", step())
            await press(app, employee, "menu", step())
            await say(app, employee, "/content", step())
            await press(app, employee, "ct.req", step())
            await say(app, employee, "Нужен пост про <латте> & капучино", step())
            # candidate: checklist, subscription, an issued task
            await say(app, candidate, "/checklist", step())
            await press(app, candidate, "cl.t", step())
            await say(app, candidate, "/vacancies", step())
            await press(app, candidate, "vac.o", step())
            await press(app, candidate, "vac.sub", step())
            await press(app, candidate, "vac.subp", step())
            await press(app, candidate, "vac.o", step())
            await press(app, candidate, "app.task", step())
            # second candidate: two answers (one is then rejected), an extension request
            for _ in range(2):
                await say(app, candidate2, "/vacancies", step())
                # a vacancy without screening questions that they have not answered yet
                skip = {vacancy for _, vacancy, _ in applications_of(app, candidate2)}
                skip |= {
                    int(row[0])
                    for row in app.conn.execute("SELECT id FROM vacancies WHERE screening != '[]'")
                }
                cards = map(Action.parse, actions_for(app, candidate2))
                card = next(
                    c for c in cards if c and c.name == "vac.o" and c.int_arg(0) not in skip
                )
                await press(app, candidate2, "vac.o", step(), data=card.pack())
                await press(app, candidate2, "app.task", step())
                await press(app, candidate2, "app.submit", step())
                if not _:
                    await press(app, candidate2, "app.cy", step())
                await say(app, candidate2, "Ответ: <b>готово</b> & https://ex.am/ple", step())
            await press(app, candidate2, "app.mine", step())
            await press(app, candidate2, "app.open", step())
            await press(app, candidate2, "app.ext", step())
            _warm_up_problem(p, app.recorder.take_problems())
        for platform in MESSENGERS:
            p = platform.value
            candidate, candidate2, employee, admin_person = (
                person(f"{p}-{role}") for role in ("candidate", "candidate2", "employee", "admin")
            )
            admin_user = await services.users.find(platform, admin_person.external_id)
            assert admin_user is not None
            # admin: rejects the second candidate's last answer with a comment
            last = applications_of(app, candidate2)[-1][0]
            await press(app, admin_person, "hr.rej", step(), data=f"hr.rej:{last}")
            await say(app, admin_person, "Спасибо! Не в этот раз <увы> & удачи", step())
            await press(app, candidate2, "pd.pool", step())
            await press(app, candidate2, "pd.pool.no", step())
            # admin: a look at the team and the vacancies
            await say(app, admin_person, "/admin", step())
            await press(app, admin_person, "tm", step())
            await press(app, admin_person, "tm.emp", step())
            await press(app, admin_person, "tm.rv", step())
            await press(app, admin_person, "tm.emp", step())
            await say(app, admin_person, "/vacancy_admin", step())
            await press(app, admin_person, "va.o", step())
            await press(app, admin_person, "va.pl", step())
            await press(app, admin_person, "va.o", step())
            await press(app, admin_person, "va.ed", step())
            await press(app, admin_person, "va.cancel", step())
            await press(app, admin_person, "va.new", step())
            await press(app, admin_person, "va.cancel", step())
            # admin: interview times through the dialog; the second candidate's first answer
            # accepted, which invites them (on VK: invited, the answer left undecided); they
            # book a time, confirm it and move it
            await say(app, admin_person, "/interviews", step())
            await press(app, admin_person, "iv.new", step())
            await press(app, admin_person, "iv.pv", step(), data="iv.pv:0")
            await press(app, admin_person, "iv.pf", step(), data="iv.pf:video")
            await say(app, admin_person, "https://meet.example/room", step())
            await say(app, admin_person, "Ольга <Петрова>", step())
            await press(app, admin_person, "iv.pd", step(), data="iv.pd:30")
            day = "25.11" if p == "tg" else "26.11"  # the same interviewer: no overlaps
            await say(app, admin_person, f"{day} 10:00 11:00 12:00", step())
            await press(app, admin_person, "iv.pp", step())
            first = next(
                number
                for number, _, status in applications_of(app, candidate2)
                if status == "submitted"
            )
            if platform is Platform.TELEGRAM:
                await press(app, admin_person, "hr.acc", step(), data=f"hr.acc:{first}")
                await press(app, admin_person, "hr.nc", step())
            else:  # invited from the post about the answer, which stays undecided
                await press(app, admin_person, "iv.inv", step(), data=f"iv.inv:{first}")
            await press(app, candidate2, "iv.b", step())
            await press(app, candidate2, "iv.ok", step())
            await press(app, candidate2, "iv.rp", step())
            await press(app, candidate2, "iv.mv", step())
            await say(app, admin_person, "/interviews", step())
            await press(app, admin_person, "iv.sl", step())
            await press(app, admin_person, "iv.so", step())
            # everybody: erasure offered and declined
            for somebody in (candidate, candidate2, employee, admin_person):
                await say(app, somebody, "/deletedata", step())
                await press(app, somebody, "pd.del.no", step())
            # admin: a scheduled broadcast, a spare invite
            await say(app, admin_person, "/broadcast", step())
            await say(app, admin_person, "Новости <i>недели</i> & планы", step())
            await press(app, admin_person, "bc.skip", step())
            await press(app, admin_person, "bc.pv", step())
            await press(app, admin_person, "bc.sch", step())
            await say(app, admin_person, "25.12.2026 10:00", step())
            await press(app, admin_person, "bc.sgo", step())
            await press(app, admin_person, "bc.list", step())
            spare = await services.advocacy.create_invite(admin_user.id)
            codes.append(spare.code)
            # ... and another broadcast left at "confirm the time" (a draft)
            await say(app, admin_person, "/broadcast", step())
            await say(app, admin_person, "Черновик", step())
            await press(app, admin_person, "bc.skip", step())
            await press(app, admin_person, "bc.pv", step())
            await press(app, admin_person, "bc.sch", step())
            await say(app, admin_person, "01.01.2027 09:30", step())
            _warm_up_problem(p, app.recorder.take_problems())
        seed = list(dict.fromkeys(app.recorder.actions))
        latest = dict(app.recorder.latest)
        ids = {
            table: [int(r[0]) for r in app.conn.execute(f"SELECT id FROM {table} ORDER BY id")]
            for table in (
                "users",
                "vacancies",
                "applications",
                "posts",
                "content_requests",
                "broadcasts",
                "interviews",
                "interview_slots",
            )
        }
    clean = path.with_name("template.sqlite3")
    source = sqlite3.connect(path)
    target = sqlite3.connect(clean)
    with target:
        source.backup(target)
    source.close()
    target.close()
    data = clean.read_bytes()
    return Template(data, seed, latest, codes, ids)


def fresh_copy(template: Template, path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(template.data)


def run(coro: Any) -> Any:
    """Run one example's coroutine on a fresh event loop."""
    return asyncio.run(coro)


def describe(event: Event | None) -> str:
    if event is None:
        return "(dropped by the runtime)"
    what = event.describe()
    if not event.is_button and event.text and not event.command:
        what += f" {event.text[:60]!r}{'…' if len(event.text) > 60 else ''}"
    if event.command:
        what += f" args={event.args[:40]!r}"
    if event.attachments:
        what += f" {event.attachments[0]!r:.120}"
    return what


def error_records(records: Iterable[logging.LogRecord]) -> list[str]:
    return [
        f"ERROR log: {r.getMessage()[:200]}"
        + (f" ({r.exc_info[0].__name__}: {r.exc_info[1]})" if r.exc_info and r.exc_info[0] else "")
        for r in records
        if r.levelno >= logging.ERROR
    ]
