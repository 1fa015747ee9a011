from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:ABCdef"


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    settings = load_settings()
    assert settings.telegram_enabled and not settings.vk_enabled
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.vk_api_url == "https://api.vk.ru/method/"
    assert settings.database_path == Path("data/bot.sqlite3")
    assert settings.default_locale == "ru"
    assert settings.admin_ids == [] and settings.vk_admin_ids == []
    assert settings.metrics_port is None and settings.metrics_host == "127.0.0.1"
    assert settings.backups_dir == Path("data/backups") and settings.backup_keep == 7
    assert settings.log_format == "text" and settings.database_autocheckpoint == 1000


def test_operations_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("METRICS_PORT", "9108")
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path / "copies"))
    monkeypatch.setenv("BACKUP_KEEP", "0")
    monkeypatch.setenv("LOG_FORMAT", " JSON ")
    monkeypatch.setenv("DATABASE_AUTOCHECKPOINT", "0")
    settings = load_settings()
    assert settings.metrics_port == 9108 and settings.backups_dir == tmp_path / "copies"
    assert settings.backup_keep == 0 and settings.log_format == "json"
    assert settings.database_autocheckpoint == 0


def test_lists_and_both_messengers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("VK_TOKEN", "vk1.a.secret")
    monkeypatch.setenv("VK_GROUP_ID", "42")
    monkeypatch.setenv("ADMIN_IDS", " 1, 2 ,3 ")
    monkeypatch.setenv("VK_ADMIN_IDS", "7")
    monkeypatch.setenv("VK_API_URL", "http://127.0.0.1:9/method")
    monkeypatch.setenv("DEFAULT_LOCALE", "EN")
    settings = load_settings()
    assert settings.telegram_enabled and settings.vk_enabled
    assert settings.admin_ids == [1, 2, 3] and settings.vk_admin_ids == [7]
    assert settings.vk_api_url == "http://127.0.0.1:9/method/"
    assert settings.default_locale == "en"


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"BOT_TOKEN={TOKEN}\nHR_CHAT_ID=-100123\n", encoding="utf-8")
    settings = load_settings()
    assert settings.hr_chat_id == -100123


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"WEB_ENABLED": "false"}, "BOT_TOKEN"),
        ({"WEB_PUBLIC_URL": "jobs.example.com"}, "WEB_PUBLIC_URL"),
        ({"WEB_ALLOWED_ORIGINS": "https://a.example/careers"}, "WEB_ALLOWED_ORIGINS"),
        ({"WEB_SECRET": "short"}, "WEB_SECRET"),
        ({"WEB_ADMIN_TOKEN": "short"}, "WEB_ADMIN_TOKEN"),
        ({"WEB_PORT": "0"}, "WEB_PORT"),
        ({"METRICS_PORT": "8080"}, "METRICS_PORT"),
        ({"BOT_TOKEN": "nonsense"}, "BOT_TOKEN"),
        ({"BOT_TOKEN": TOKEN, "ADMIN_IDS": "1,two"}, "ADMIN_IDS"),
        ({"BOT_TOKEN": TOKEN, "VK_TOKEN": "x"}, "VK_GROUP_ID"),
        ({"VK_TOKEN": "x", "VK_GROUP_ID": "-5"}, "VK_GROUP_ID"),
        ({"BOT_TOKEN": TOKEN, "DEFAULT_LOCALE": "de"}, "DEFAULT_LOCALE"),
        ({"BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": "ftp://x"}, "TELEGRAM_API_URL"),
        ({"BOT_TOKEN": TOKEN, "WEBHOOK_URL": "https://bot.example.org/hook"}, "WEBHOOK_SECRET"),
        ({"BOT_TOKEN": TOKEN, "HR_CHAT_ID": "abc"}, "HR_CHAT_ID"),
        ({"BOT_TOKEN": TOKEN, "METRICS_PORT": "70000"}, "METRICS_PORT"),
        ({"BOT_TOKEN": TOKEN, "METRICS_PORT": "metrics"}, "METRICS_PORT"),
        ({"BOT_TOKEN": TOKEN, "BACKUP_KEEP": "-1"}, "BACKUP_KEEP"),
        ({"BOT_TOKEN": TOKEN, "LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        ({"BOT_TOKEN": TOKEN, "DATABASE_AUTOCHECKPOINT": "-5"}, "DATABASE_AUTOCHECKPOINT"),
        (
            {
                "BOT_TOKEN": TOKEN,
                "WEBHOOK_URL": "https://bot.example.org/hook",
                "WEBHOOK_SECRET": "s3cret",
                "METRICS_PORT": "8080",
            },
            "METRICS_PORT",
        ),
    ],
)
def test_bad_settings_name_the_setting(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], name: str
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = str(info.value)
    assert "\n" not in message
    assert name in message


def test_tokens_are_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    assert TOKEN not in repr(load_settings())


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"WEB_ENABLED": "false"}, "BOT_TOKEN"),
        ({"BOT_TOKEN": TOKEN, "VK_ADMIN_IDS": "x"}, "VK_ADMIN_IDS"),
        ({"WEB_PORT": "x"}, "WEB_PORT"),
    ],
)
def test_process_exits_2_with_one_line(tmp_path: Path, env: dict[str, str], name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert name in lines[0] and "Traceback" not in result.stderr


def test_no_messenger_runs_the_web_chat_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.web_active and settings.web_only_demo
    assert settings.web_url == "http://127.0.0.1:8080"
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    with_messenger = load_settings()
    assert not with_messenger.web_active and not with_messenger.web_only_demo
    monkeypatch.setenv("WEB_ENABLED", "true")
    monkeypatch.setenv("WEB_PUBLIC_URL", "https://jobs.example.com/")
    monkeypatch.setenv("WEB_ALLOWED_ORIGINS", "https://careers.example.com, http://127.0.0.1:8000")
    both = load_settings()
    assert both.web_active and not both.web_only_demo  # production never imports examples
    assert both.web_url == "https://jobs.example.com"
    assert both.web_allowed_origins == ["https://careers.example.com", "http://127.0.0.1:8000"]
