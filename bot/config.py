"""Settings from the environment and `.env` (pydantic-settings).

`load_settings()` turns every validation problem into one `ConfigError` line that names the
setting and says what to do; `python -m bot` prints it and exits with status 2.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

LOCALES = ("ru", "en")
DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org"
DEFAULT_VK_API_URL = "https://api.vk.ru/method/"


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line meant for a human."""


HINTS: dict[str, str] = {
    "BOT_TOKEN": "set the token @BotFather gave you, like 123456:ABC-DEF...",
    "TELEGRAM_API_URL": "use an http(s) URL such as https://api.telegram.org",
    "VK_TOKEN": "set the community access token from the community's API settings",
    "VK_GROUP_ID": "set the numeric id of the VK community (a positive integer)",
    "VK_API_URL": "use an http(s) URL ending with /method/, such as https://api.vk.ru/method/",
    "ADMIN_IDS": "use comma-separated numeric Telegram user ids, like 12345,67890",
    "VK_ADMIN_IDS": "use comma-separated numeric VK user ids, like 12345,67890",
    "HR_CHAT_ID": "use a numeric Telegram chat id (groups are negative), or leave it empty",
    "DATABASE_PATH": "use a writable file path such as data/bot.sqlite3",
    "DEFAULT_LOCALE": "use ru or en",
    "LOG_LEVEL": "use DEBUG, INFO, WARNING or ERROR",
    "WEBHOOK_URL": "use a public https URL, and set WEBHOOK_SECRET too",
    "WEBHOOK_SECRET": "use 1-256 characters of A-Z, a-z, 0-9, _ and -",
    "WEBHOOK_HOST": "use an interface address such as 0.0.0.0",
    "WEBHOOK_PORT": "use a TCP port number between 1 and 65535",
    "THROTTLE_RATE": "use a positive number of updates per second",
    "THROTTLE_BURST": "use a positive whole number",
    "MAX_CONCURRENT_UPDATES": "use a positive whole number",
    "JOBS_INTERVAL": "use a positive number of seconds",
    "BROADCAST_RATE": "use messages per second for Telegram broadcasts, above 0 and at most 1000",
    "BROADCAST_TIMEOUT": "use a positive number of seconds",
    "BROADCAST_PROGRESS_INTERVAL": "use a positive number of seconds",
    "COMPANY_HASHTAG": "use a hashtag like #ourteam (letters, digits and _)",
    "RETENTION_DAYS": "use a whole number of days from 1 to 3650",
    "BACKUP_DIR": "use a writable folder for backups, or leave it empty for the default",
    "BACKUP_KEEP": "use how many daily backups to keep, 0 to 1000 (0 turns them off)",
    "METRICS_PORT": "use a TCP port number between 1 and 65535, or leave it empty (off)",
    "METRICS_HOST": "use an interface address such as 127.0.0.1",
    "LOG_FORMAT": "use text or json",
    "DATABASE_AUTOCHECKPOINT": "use a number of pages (1000 is SQLite's default; 0 for Litestream)",
    "WEB_ENABLED": "use true or false (empty: on only when no messenger is configured)",
    "WEB_HOST": "use an interface address such as 127.0.0.1 (0.0.0.0 to listen on all)",
    "WEB_PORT": "use a TCP port number between 1 and 65535",
    "WEB_PUBLIC_URL": "use the public http(s) address of the web chat, like https://jobs.example.com",
    "WEB_SECRET": "use at least 32 random characters, or leave it empty (kept in the database)",
    "WEB_ADMIN_TOKEN": "use at least 24 random characters, or leave it empty (printed at start)",
    "WEB_ALLOWED_ORIGINS": "use comma-separated origins like https://careers.example.com",
}


def _parse_ids(value: object) -> list[int]:
    if value is None:
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, list | tuple | set | frozenset):
        return [int(v) for v in value]
    text = str(value).strip()
    if not text:
        return []
    ids: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.lstrip("-").isdigit():
            raise ValueError(f"{part!r} is not a number")
        ids.append(int(part))
    return ids


def _empty_to_none(value: object) -> object:
    if isinstance(value, str) and not value.strip():
        return None
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    bot_token: SecretStr | None = None
    telegram_api_url: str = DEFAULT_TELEGRAM_API_URL
    vk_token: SecretStr | None = None
    vk_group_id: int | None = None
    vk_api_url: str = DEFAULT_VK_API_URL
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    vk_admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    hr_chat_id: int | None = None
    database_path: Path = Path("data/bot.sqlite3")
    default_locale: Literal["ru", "en"] = "ru"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    throttle_rate: float = Field(default=3.0, gt=0)
    throttle_burst: int = Field(default=8, gt=0)
    max_concurrent_updates: int = Field(default=32, gt=0)
    jobs_interval: float = Field(default=60.0, gt=0)
    broadcast_rate: float = Field(default=25.0, gt=0, le=1000)
    broadcast_timeout: float = Field(default=10.0, gt=0)
    broadcast_progress_interval: float = Field(default=3.0, gt=0)
    company_hashtag: str = Field(default="#работаспользой", max_length=64)
    retention_days: int = Field(default=30, ge=1, le=3650)
    backup_dir: Path | None = None
    backup_keep: int = Field(default=7, ge=0, le=1000)
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    metrics_host: str = Field(default="127.0.0.1", min_length=1)
    log_format: Literal["text", "json"] = "text"
    database_autocheckpoint: int = Field(default=1000, ge=0, le=1_000_000)
    web_enabled: bool | None = None
    web_host: str = Field(default="127.0.0.1", min_length=1)
    web_port: int = Field(default=8080, ge=1, le=65535)
    web_public_url: str | None = None
    web_secret: SecretStr | None = Field(default=None, min_length=32)
    web_admin_token: SecretStr | None = Field(default=None, min_length=24)
    web_allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator("admin_ids", "vk_admin_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> list[int]:
        return _parse_ids(value)

    @field_validator(
        "bot_token",
        "vk_token",
        "vk_group_id",
        "hr_chat_id",
        "webhook_url",
        "webhook_secret",
        "backup_dir",
        "metrics_port",
        "web_enabled",
        "web_public_url",
        "web_secret",
        "web_admin_token",
        mode="before",
    )
    @classmethod
    def _blank(cls, value: object) -> object:
        return _empty_to_none(value)

    @field_validator("default_locale", "log_level", mode="before")
    @classmethod
    def _normalise_case(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            return value.lower() if value.lower() in LOCALES else value.upper()
        return value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("company_hashtag")
    @classmethod
    def _hashtag(cls, value: str) -> str:
        value = value.strip()
        if value and not re.fullmatch(r"#\w{1,60}", value):
            raise ValueError("must be one hashtag starting with #")
        return value

    @field_validator("web_public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().rstrip("/")
        if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
            raise ValueError("must be an http:// or https:// address without ? or #")
        return value

    @field_validator("web_allowed_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> list[str]:
        parts = value if isinstance(value, list) else str(value or "").split(",")
        origins = []
        for part in parts:
            origin = str(part).strip().rstrip("/")
            if not origin:
                continue
            if not re.fullmatch(r"https?://[A-Za-z0-9.\-]+(:\d{1,5})?", origin):
                raise ValueError(f"{origin!r} is not an origin (scheme://host[:port])")
            origins.append(origin)
        return origins

    @field_validator("telegram_api_url", "vk_api_url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip()
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("vk_api_url")
    @classmethod
    def _vk_url(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @field_validator("telegram_api_url")
    @classmethod
    def _tg_url(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("bot_token")
    @classmethod
    def _token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        head, sep, tail = value.get_secret_value().strip().partition(":")
        if not sep or not head.isdigit() or not tail:
            raise ValueError("does not look like a bot token")
        return value

    @field_validator("vk_group_id")
    @classmethod
    def _group(cls, value: int | None) -> int | None:
        if value is not None and value <= 0:
            raise ValueError("must be a positive number")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        raw = value.get_secret_value()
        if not 1 <= len(raw) <= 256 or not all(c.isalnum() or c in "_-" for c in raw):
            raise ValueError("has characters Telegram does not allow")
        return value

    @model_validator(mode="after")
    def _webhook_pair(self) -> Settings:
        if self.webhook_url and not self.webhook_secret:
            raise ValueError("WEBHOOK_SECRET is required when WEBHOOK_URL is set")
        if self.webhook_url and not self.webhook_url.startswith("https://"):
            raise ValueError("WEBHOOK_URL must be an https:// URL")
        return self

    @property
    def backups_dir(self) -> Path:
        """Where backups go: BACKUP_DIR, or a `backups` folder next to the database."""
        return self.backup_dir or self.database_path.parent / "backups"

    @property
    def telegram_enabled(self) -> bool:
        return self.bot_token is not None

    @property
    def vk_enabled(self) -> bool:
        return self.vk_token is not None and self.vk_group_id is not None

    @property
    def web_active(self) -> bool:
        """The web chat runs when WEB_ENABLED says so, or, left empty, when no messenger is
        configured (a newcomer's first `python -m bot`)."""
        if self.web_enabled is not None:
            return self.web_enabled
        return not self.telegram_enabled and not self.vk_enabled

    @property
    def web_only_demo(self) -> bool:
        """No messenger and WEB_ENABLED left empty: the try-it-out mode, which imports the
        shipped examples into an empty database."""
        return self.web_enabled is None and self.web_active

    @property
    def web_url(self) -> str:
        """Where people open the web chat: WEB_PUBLIC_URL, else the address it listens on."""
        if self.web_public_url:
            return self.web_public_url
        host = "127.0.0.1" if self.web_host in ("0.0.0.0", "::") else self.web_host
        return f"http://{host}:{self.web_port}"


def _explain(error: ValidationError) -> str:
    problem = error.errors()[0]
    loc = [str(part) for part in problem.get("loc", ()) if part != "__root__"]
    message = str(problem.get("msg", "is invalid")).removeprefix("Value error, ")
    if not loc:
        name = "WEBHOOK_SECRET" if "WEBHOOK" in message else "settings"
        hint = HINTS.get(name, "check the value")
        return f"Configuration error: {message}: {hint}."
    name = loc[0].upper()
    hint = HINTS.get(name, "check the value")
    return f"Configuration error: {name} {message.lower()}: {hint}."


def load_settings(*, require_messenger: bool = True, **overrides: object) -> Settings:
    """Read settings; raise ConfigError with one human line on any problem."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        raise ConfigError(_explain(error)) from None
    if settings.vk_token is not None and settings.vk_group_id is None:
        raise ConfigError(f"Configuration error: VK_GROUP_ID is missing: {HINTS['VK_GROUP_ID']}.")
    if settings.vk_group_id is not None and settings.vk_token is None:
        raise ConfigError(f"Configuration error: VK_TOKEN is missing: {HINTS['VK_TOKEN']}.")
    if (
        settings.metrics_port is not None
        and settings.webhook_url
        and settings.metrics_port == settings.webhook_port
    ):
        raise ConfigError(
            "Configuration error: METRICS_PORT is the same as WEBHOOK_PORT: "
            "use another port for the health and metrics endpoints."
        )
    if require_messenger and not (
        settings.telegram_enabled or settings.vk_enabled or settings.web_active
    ):
        raise ConfigError(
            "Configuration error: nothing to run: WEB_ENABLED is false and no messenger is "
            "configured: set BOT_TOKEN for Telegram and/or VK_TOKEN with VK_GROUP_ID for VK, "
            "or turn the web chat on (see .env.example)."
        )
    if settings.web_active and settings.webhook_url and settings.web_port == settings.webhook_port:
        raise ConfigError(
            "Configuration error: WEB_PORT is the same as WEBHOOK_PORT: use another port for "
            "the web chat."
        )
    if settings.web_active and settings.metrics_port == settings.web_port:
        raise ConfigError(
            "Configuration error: METRICS_PORT is the same as WEB_PORT: use another port for "
            "the health and metrics endpoints."
        )
    return settings
