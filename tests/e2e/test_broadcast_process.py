"""End to end: the real `python -m bot` process is killed (SIGKILL) in the middle of a broadcast
to both messengers and started again; every recipient gets the message, at most the Telegram
messages in flight at the kill arrive twice, and VK drops the resent batch."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

from bot.app import open_app
from bot.domain import Platform
from bot.i18n import Translator
from bot.telegram.broadcast import concurrency_for
from tests.conftest import ADMIN_TG, make_settings
from tests.harness import tg_press
from tests.test_broadcast_kit import open_audience, seed_users

TR = Translator.load()
TG_PEOPLE = range(7001, 7081)
VK_PEOPLE = range(8001, 8151)
TEXT = "Срочная новость для кандидатов"
RATE = 20


def t(key: str, **args: Any) -> str:
    return TR("ru", key, **args)


async def test_kill_mid_broadcast_then_restart_delivers_each_once(
    running: Any, bot_env: dict[str, str], tmp_path: Path, tg: Any, vk: Any
) -> None:
    bot_env.update(BROADCAST_RATE=str(RATE), BROADCAST_PROGRESS_INTERVAL="0.5")
    database = Path(bot_env["DATABASE_PATH"])
    async with open_app(make_settings(tmp_path, database_path=database)) as app:
        await seed_users(app, Platform.TELEGRAM, TG_PEOPLE)
        await seed_users(app, Platform.VK, VK_PEOPLE)
    for person in TG_PEOPLE:
        tg.user(person)
    for person in VK_PEOPLE:
        vk.user(person)

    first = await running("first")
    admin = tg.user(ADMIN_TG, "Ольга")
    audience = await open_audience(tg, admin, TEXT, t("bc-btn-skip"))
    candidates = await tg_press(tg, admin, audience, t("bc-btn-candidates"))
    assert t("bc-audience-size", count=230) in candidates.text
    mark = tg.mark()
    tg.press_button(admin, candidates, t("bc-btn-preview"))
    control = await tg.wait_message(
        admin.id, lambda m: m.text.startswith(t("bc-preview-above")), since=mark
    )
    confirm = await tg_press(tg, admin, control, t("bc-btn-send-now"))
    # the first VK batch is delivered, but its answer never reaches the process
    vk.delay_next("messages.send", 30)
    tg.press_button(admin, confirm, t("bc-btn-confirm-now"))
    await tg.wait_for(
        "sendMessage", lambda c: c.params["chat_id"] in TG_PEOPLE, count=25, ok=True, timeout=20
    )
    await vk.wait_for("messages.send", lambda c: len(c.params.get("peer_ids") or []) == 100)
    first.kill()
    await first.proc.wait()
    before = Counter(
        c.params["chat_id"]
        for c in tg.calls_of("sendMessage", ok=True)
        if c.params["chat_id"] in TG_PEOPLE
    )
    assert 25 <= sum(before.values()) < len(TG_PEOPLE)

    second = await running("second")
    report = await tg.wait_message(
        admin.id, lambda m: m.text.startswith("✅ Рассылка #1"), timeout=40
    )
    assert t("bc-count-sent", count=230) in report.text, second.log

    copies = Counter(
        m.chat_id for person in TG_PEOPLE for m in tg.messages(person) if m.text == TEXT
    )
    assert set(copies) == set(TG_PEOPLE)  # nobody missed
    twice = [person for person, n in copies.items() if n > 1]
    assert max(copies.values()) <= 2
    assert len(twice) <= concurrency_for(RATE)  # at most the requests in flight at the kill
    for person in VK_PEOPLE:  # VK: exactly one each
        assert [m.text for m in vk.messages(person)] == [TEXT]
    assert vk.dedup_hits == 100

    with sqlite3.connect(database) as conn:
        status, total, sent = conn.execute(
            "SELECT status, total, sent FROM broadcasts WHERE id = 1"
        ).fetchone()
        states = dict(
            conn.execute(
                "SELECT state, COUNT(*) FROM broadcast_deliveries WHERE broadcast_id = 1 "
                "GROUP BY state"
            ).fetchall()
        )
    assert (status, total, sent) == ("done", 230, 230)
    assert states == {"sent": 230}
    # the progress message survived the restart: the same message, edited to the end
    status_message = next(m for m in tg.messages(admin.id) if m.text.startswith("📣"))
    assert t("bc-count-sent", count=230) in status_message.text
    assert await second.stop() == 0
