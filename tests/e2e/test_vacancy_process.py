"""End to end with the real process: import the examples with the CLI, then a Telegram
candidate applies through a placement link and HR on both messengers sees the answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.i18n import Translator
from tests.conftest import ADMIN_TG, ADMIN_VK
from tests.e2e.process import ROOT, run_cli
from tests.harness import tg_press

TR = Translator.load()


def t(key: str, locale: str = "ru", **args: Any) -> str:
    return TR(locale, key, **args)


async def test_import_then_apply_and_review(
    running: Any, bot_env: dict[str, str], tmp_path: Path, tg: Any, vk: Any
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[vacancy]]\nslug = "x"\n', encoding="utf-8")
    status, output = await run_cli(tmp_path / "work", bot_env, "import-vacancies", str(bad))
    assert status == 1 and "nothing was changed" in output and "title: is required" in output
    content = ROOT / "examples" / "content.toml"
    status, output = await run_cli(tmp_path / "work", bot_env, "import-content", str(content))
    assert status == 1 and "no vacancy 'barista-moscow'" in output  # vacancies come first
    examples = ROOT / "examples" / "vacancies.toml"
    status, output = await run_cli(tmp_path / "work", bot_env, "import-vacancies", str(examples))
    assert status == 0, output
    assert "11 new" in output
    status, output = await run_cli(tmp_path / "work", bot_env, "import-vacancies", str(examples))
    assert "0 new, 11 updated" in output
    status, output = await run_cli(tmp_path / "work", bot_env, "import-content", str(content))
    assert status == 0 and "Imported 20 posts" in output, output

    bot = await running("vacancies")
    admin = tg.user(ADMIN_TG, "Ольга")
    vk_admin = vk.user(ADMIN_VK, "Админ")
    candidate = tg.user(711, "Женя", language_code="en")

    tg.send_text(candidate, "/vacancies")
    listing = await tg.wait_message(candidate.id)
    assert t("vacancies-title", "en", total=9) in listing.text
    title = listing.button_texts()[0]
    card = await tg_press(tg, candidate, listing, title)
    task = await tg_press(tg, candidate, card, t("vacancy-btn-task", "en"))
    consent = await tg_press(tg, candidate, task, t("task-btn-submit", "en"))
    mark = tg.mark()
    tg.press_button(candidate, consent, t("consent-yes", "en"))
    await tg.wait_message(candidate.id, lambda m: "Send your answer" in m.text, since=mark)
    mark = tg.mark()
    tg.send_text(candidate, "https://github.com/example/solution")
    receipt = await tg.wait_message(candidate.id, since=mark)
    assert receipt.text.startswith("✅ <b>Answer received.</b>")

    post = await tg.wait_message(admin.id)
    assert "https://github.com/example/solution" in post.text
    vk_post = await vk.wait_message(vk_admin.id)
    assert "https://github.com/example/solution" in vk_post.text
    comment = await tg_press(tg, admin, post, t("hr-btn-accept"))
    assert comment.text.startswith("Отклик")
    mark = tg.mark()
    tg.send_text(admin, "Great work")
    verdict = await tg.wait_message(candidate.id, lambda m: m.text.startswith("🎉"), since=mark)
    assert "Great work" in verdict.text
    assert await bot.stop() == 0, bot.log
