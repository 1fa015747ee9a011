"""End to end with the real `python -m bot` process, from the vacancy card to "hired": the
examples imported with the CLI, a Telegram candidate passes the screening questions, gets the
task and answers; HR accepts while no interview time is free, and so for a VK candidate; the
admin publishes times in the chat and both candidates get them at once; the Telegram candidate
books one from "My applications" and gets interview.ics; after the interview (the process runs
on the real clock, so the booked time is moved into the past in the database while the bot is
stopped) the admin records "hired", the candidate is told, and /stats and funnel.csv show it."""

from __future__ import annotations

import csv
import io
import sqlite3
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar

from bot.i18n import Translator
from bot.services.interviews import MOSCOW
from bot.vk.render import to_plain
from tests.conftest import ADMIN_TG, ADMIN_VK
from tests.e2e.process import ROOT, run_cli
from tests.harness import tg_press, vk_press

TR = Translator.load()
SLUG = "online-marketer"


def t(key: str, locale: str = "ru", **args: Any) -> str:
    return str(TR(locale, key, **args))


def passing_answers() -> list[tuple[str, str]]:
    """(question, the first answer that passes) of the example vacancy's screening."""
    examples = tomllib.loads((ROOT / "examples" / "vacancies.toml").read_text(encoding="utf-8"))
    (vacancy,) = [v for v in examples["vacancy"] if v["slug"] == SLUG]
    return [
        (q["question"], next(a for a in q["answers"] if a not in q.get("knock_out", {})))
        for q in vacancy["screening"]
    ]


async def say(tg: Any, user: Any, text: str) -> Any:
    mark = tg.mark()
    tg.send_text(user, text)
    return await tg.wait_message(user.id, since=mark)


async def test_from_the_card_through_the_interview_to_hired(
    running: Any, bot_env: dict[str, str], tmp_path: Path, tg: Any, vk: Any
) -> None:
    examples = ROOT / "examples" / "vacancies.toml"
    status, output = await run_cli(tmp_path / "work", bot_env, "import-vacancies", str(examples))
    assert status == 0, output
    database = Path(bot_env["DATABASE_PATH"])
    with sqlite3.connect(database) as db:
        ((vacancy_id, title),) = db.execute(
            "SELECT id, title FROM vacancies WHERE slug = ?", (SLUG,)
        ).fetchall()

    bot = await running("interviews")
    admin = tg.user(ADMIN_TG, "Ольга")
    vk_admin = vk.user(ADMIN_VK, "Админ")
    candidate = tg.user(781, "Марина")

    # the card, then the screening questions (one message edited in place), then the task
    card = await say(tg, candidate, f"/start v{vacancy_id}-hh")
    screen = await tg_press(tg, candidate, card, t("vacancy-btn-task"))
    questions = passing_answers()
    for number, (question, answer) in enumerate(questions, start=1):
        assert question.split("(")[0].strip() in screen.text, screen.text
        mark = tg.mark()
        tg.press_button(candidate, screen, answer)
        if number < len(questions):
            screen = await tg.wait_message(candidate.id, since=mark)
    submit = t("task-btn-submit")
    task = await tg.wait_message(candidate.id, lambda m: submit in m.button_texts(), since=mark)
    assert task.text.startswith(t("task-title", title=title)), task.text
    mark = tg.mark()
    tg.press_button(candidate, task, submit)
    yes = t("consent-yes")
    consent = await tg.wait_message(candidate.id, lambda m: yes in m.button_texts(), since=mark)
    mark = tg.mark()
    tg.press_button(candidate, consent, t("consent-yes"))
    await tg.wait_message(candidate.id, lambda m: "Отправьте ответ" in m.text, since=mark)
    mark = tg.mark()
    tg.send_text(candidate, "План продвижения: https://example.com/plan")
    post = await tg.wait_message(admin.id, lambda m: "example.com/plan" in m.text, since=mark)
    assert "Сколько лет вы работаете в маркетинге? — 3–5 лет" in post.text
    vk_post = await vk.wait_message(vk_admin.id, lambda m: "example.com/plan" in m.text)
    assert "3–5 лет" in vk_post.text

    # HR accepts: the candidate is invited; no times are published yet
    prompt = await tg_press(tg, admin, post, t("hr-btn-accept"))
    mark = tg.mark()
    tg.press_button(admin, prompt, t("hr-btn-no-comment"))
    invitation = await tg.wait_message(candidate.id, lambda m: m.text.startswith("🤝"), since=mark)
    assert t("iv-no-slots") in invitation.text

    # a VK candidate comes from the same vacancy's link, answers, and is invited too: no times
    vk_candidate = vk.user(7801, "Лена")
    mark = vk.mark()
    vk.send_text(vk_candidate, "Начать", ref=f"v{vacancy_id}-vk")
    card = await vk.wait_message(vk_candidate.id, lambda m: bool(m.button_labels()), since=mark)
    screen = await vk_press(vk, vk_candidate, card, to_plain(t("vacancy-btn-task")))
    for _, answer in questions[:-1]:
        screen = await vk_press(vk, vk_candidate, screen, answer)
    mark = vk.mark()
    vk.press_button(vk_candidate, screen, questions[-1][1])
    label = to_plain(t("task-btn-submit"))
    task = await vk.wait_message(vk_candidate.id, lambda m: label in m.button_labels(), since=mark)
    consent = await vk_press(vk, vk_candidate, task, label)
    await vk_press(vk, vk_candidate, consent, to_plain(t("consent-yes")))
    mark = tg.mark()
    vk.send_text(vk_candidate, "Мой план для VK")
    vk_post = await tg.wait_message(admin.id, lambda m: "Мой план для VK" in m.text, since=mark)
    prompt = await tg_press(tg, admin, vk_post, t("hr-btn-accept"))
    mark = vk.mark()
    tg.press_button(admin, prompt, t("hr-btn-no-comment"))
    vk_invitation = await vk.wait_message(
        vk_candidate.id, lambda m: m.text.startswith("🤝"), since=mark
    )
    assert to_plain(t("iv-no-slots")) in vk_invitation.text

    # the admin publishes two times for the vacancy in the chat (Moscow time)
    panel = await say(tg, admin, "/interviews")
    screen = await tg_press(tg, admin, panel, t("iv-adm-btn-publish"))
    screen = await tg_press(tg, admin, screen, t("iv-all-vacancies"))
    screen = await tg_press(tg, admin, screen, t("iv-pub-format-video"))
    await say(tg, admin, "https://meet.example/hr-room")
    duration = await say(tg, admin, "Ольга Петрова")
    await tg_press(tg, admin, duration, t("iv-minutes", minutes=45))
    day = (datetime.now(MOSCOW) + timedelta(days=2)).date()
    preview = await say(tg, admin, f"{day:%d.%m} 10:00 11:30")
    mark, vk_mark = tg.mark(), vk.mark()
    done = await tg_press(tg, admin, preview, t("iv-pub-btn-publish", count=2))
    assert done.text.startswith(t("iv-pub-done", count=2, refused=0).split(".")[0])
    assert t("iv-pub-waiting", count=2) in done.text

    # both candidates, who were told the times would come, get them at once
    new_times = await tg.wait_message(candidate.id, lambda m: m.text.startswith("🗓"), since=mark)
    assert len(new_times.button_texts()) == 3  # two times and "ask for another time"
    vk_times = await vk.wait_message(
        vk_candidate.id, lambda m: m.text.startswith("🗓"), since=vk_mark
    )
    assert len(vk_times.button_labels()) == 3 and vk_times.button_labels()[0].endswith("видео")

    # the candidate books from "My applications" and gets the calendar file; HR is told
    mine = await say(tg, candidate, "/applications")
    opened = await tg_press(tg, candidate, mine, mine.button_texts()[0])
    slots = await tg_press(tg, candidate, opened, t("iv-btn-choose"))
    first = slots.button_texts()[0]
    assert first.endswith("10:00 · видео"), slots.button_texts()
    mark = tg.mark()
    booked = await tg_press(tg, candidate, slots, first)
    assert booked.text.startswith(t("iv-booked-title"))
    assert "https://meet.example/hr-room" in booked.text and "Ольга Петрова" in booked.text
    ics = await tg.wait_message(candidate.id, lambda m: m.kind == "document", since=mark)
    assert ics.document["file_name"] == "interview.ics"
    (event,) = icalendar.Calendar.from_ical(ics.upload.content).walk("VEVENT")
    start = event.decoded("DTSTART").astimezone(MOSCOW)
    assert (start.date(), start.hour, start.minute) == (day, 10, 0)
    assert str(event["URL"]) == "https://meet.example/hr-room"
    await tg.wait_message(admin.id, lambda m: m.text.startswith("🗓"), since=mark)
    assert await bot.stop() == 0, bot.log

    # the interview took place: its time is moved two hours into the past (the real clock)
    with sqlite3.connect(database) as db:
        ((slot_id, raw),) = db.execute(
            "SELECT s.id, s.starts_at FROM interviews i "
            "JOIN interview_slots s ON s.id = i.slot_id WHERE i.status = 'booked'"
        ).fetchall()
        zone = datetime.fromisoformat(raw).tzinfo
        past = (datetime.now(UTC) - timedelta(hours=2)).astimezone(zone)
        db.execute(
            "UPDATE interview_slots SET starts_at = ?, ends_at = ? WHERE id = ?",
            (past.isoformat(), (past + timedelta(minutes=45)).isoformat(), slot_id),
        )

    # after a restart: the admin records "hired"; the candidate is told
    bot = await running("after-the-interview")
    panel = await say(tg, admin, "/interviews")
    waiting = next(label for label in panel.button_texts() if label.startswith("⏱"))
    interview = await tg_press(tg, admin, panel, waiting)
    prompt = await tg_press(tg, admin, interview, t("iv-outcome-btn-hired"))
    mark = tg.mark()
    tg.press_button(admin, prompt, t("hr-btn-no-comment"))
    told = await tg.wait_message(candidate.id, lambda m: m.text.startswith("🎉"), since=mark)
    assert title in told.text

    # the funnel: /stats and funnel.csv count the whole way
    stats = await say(tg, admin, "/stats")
    stages = t(
        "stats-funnel-interviews",
        screened_in=2,  # the VK candidate too
        screened_out=0,
        booked=1,
        attended=1,
        offer=1,
        hired=1,
    )
    assert stages in stats.text, stats.text
    mark = tg.mark()
    tg.send_text(admin, "/export")
    await tg.wait_for("sendDocument", count=2, since=mark)
    files = {m.document["file_name"]: m for m in tg.messages(admin.id) if m.kind == "document"}
    funnel = list(csv.reader(io.StringIO(files["funnel.csv"].upload.content.decode("utf-8-sig"))))
    (row,) = [r for r in funnel if r[0] == str(vacancy_id)]
    assert row[3:7] == ["2", "2", "2", "2"]  # views, tasks, answers, accepted: both candidates
    assert row[-6:] == ["2", "0", "1", "1", "1", "1"]  # screened in/out, booked .. hired
    applications = list(
        csv.reader(io.StringIO(files["applications.csv"].upload.content.decode("utf-8-sig")))
    )
    assert applications[1][-6:][0] == "passed" and applications[1][-3:] == ["yes", "yes", "yes"]
    assert await bot.stop() == 0, bot.log
