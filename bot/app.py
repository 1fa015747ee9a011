"""Composition root: open the database, migrate, build services and runtimes, shut down cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from bot.backup import DailyBackup, ProcessLock, backup_name, create_backup, unique_path
from bot.config import Settings
from bot.core import Core
from bot.domain import Platform
from bot.health import Health, OpsServer
from bot.i18n import Translator
from bot.jobs import Jobs
from bot.metrics import Metrics
from bot.notify import Notifier
from bot.services import Services
from bot.services.advocacy import AdvocacyService
from bot.services.applications import ApplicationService
from bot.services.broadcasts import BroadcastService
from bot.services.checklist import ChecklistService, parse_items
from bot.services.clock import Clock, utcnow
from bot.services.dialogs import DialogService
from bot.services.interviews import InterviewService
from bot.services.privacy import InsightsService, PrivacyService
from bot.services.screening import ScreeningService
from bot.services.users import UserService
from bot.services.vacancies import VacancyService
from handlers import build_registry
from storage.advocacy import SqliteAdvocacyRepository
from storage.applications import SqliteApplicationRepository
from storage.broadcasts import SqliteBroadcastRepository
from storage.checklist import SqliteChecklistRepository
from storage.database import Database
from storage.dialogs import SqliteDialogRepository
from storage.interviews import SqliteInterviewRepository
from storage.ops import SqliteOpsProbe
from storage.privacy import SqlitePrivacyRepository
from storage.runtime_state import SqliteRuntimeState
from storage.screening import SqliteScreeningRepository
from storage.users import SqliteUserRepository
from storage.vacancies import SqliteVacancyRepository

if TYPE_CHECKING:
    from bot.web.runtime import WebRuntime

log = logging.getLogger(__name__)


class StartupError(Exception):
    """The bot cannot start; the message is one line for the operator."""


@dataclass(slots=True)
class App:
    settings: Settings
    db: Database
    translator: Translator
    services: Services
    core: Core
    metrics: Metrics | None = None


def build_services(settings: Settings, db: Database, tr: Translator, clock: Clock) -> Services:
    applications = SqliteApplicationRepository(db)
    privacy = SqlitePrivacyRepository(db)
    return Services(
        users=UserService(
            SqliteUserRepository(db),
            admins={Platform.TELEGRAM: settings.admin_ids, Platform.VK: settings.vk_admin_ids},
            locales=tr.locales,
            default_locale=settings.default_locale,
            clock=clock,
        ),
        dialogs=DialogService(SqliteDialogRepository(db), clock),
        checklist=ChecklistService(
            SqliteChecklistRepository(db),
            parse_items(tr(tr.default, "checklist-items")),
            clock,
        ),
        runtime_state=SqliteRuntimeState(db),
        vacancies=VacancyService(SqliteVacancyRepository(db), applications, clock),
        applications=ApplicationService(applications, clock),
        broadcasts=BroadcastService(
            SqliteBroadcastRepository(db),
            platforms=enabled_platforms(settings),
            locales=tr.locales,
            clock=clock,
        ),
        advocacy=AdvocacyService(SqliteAdvocacyRepository(db), settings.company_hashtag, clock),
        privacy=PrivacyService(privacy, settings.retention_days, clock),
        insights=InsightsService(privacy, clock),
        screening=ScreeningService(SqliteScreeningRepository(db), applications, clock),
        interviews=InterviewService(SqliteInterviewRepository(db), applications, clock),
    )


def enabled_platforms(settings: Settings) -> list[Platform]:
    return [
        platform
        for platform, enabled in (
            (Platform.TELEGRAM, settings.telegram_enabled),
            (Platform.VK, settings.vk_enabled),
            (Platform.WEB, settings.web_active),
        )
        if enabled
    ]


def migration_backup(settings: Settings, clock: Clock) -> Callable[[int, int], Awaitable[str]]:
    """Back up a database that has data before migrations change it; name it in the log."""

    async def before_migrate(current: int, target: int) -> str:
        now = clock()
        path = unique_path(settings.backups_dir, backup_name(f"before-schema-{target}", now))
        info = await asyncio.to_thread(create_backup, settings.database_path, path, now)
        log.info(
            "database at schema %s, migrating to %s; backed up first: %s (%s bytes)",
            current,
            target,
            info.path,
            info.size,
        )
        return str(info.path)

    return before_migrate


@asynccontextmanager
async def open_app(
    settings: Settings, *, clock: Clock = utcnow, metrics: Metrics | None = None
) -> AsyncIterator[App]:
    db = Database(
        settings.database_path,
        before_migrate=migration_backup(settings, clock),
        autocheckpoint=settings.database_autocheckpoint,
    )
    await db.connect()
    try:
        tr = Translator.load(settings.default_locale)
        services = build_services(settings, db, tr, clock)

        async def locale_of(platform: Platform, external_id: int) -> str:
            user = await services.users.find(platform, external_id)
            return user.locale if user else tr.default

        notifier = Notifier(
            settings.hr_chat_id,
            {Platform.TELEGRAM: settings.admin_ids, Platform.VK: settings.vk_admin_ids},
            locale_of,
        )
        core = Core(services, build_registry(), tr, notifier, metrics, db.storage_fault)
        try:
            yield App(settings, db, tr, services, core, metrics)
        finally:
            await notifier.drain(10)  # background notices still use the database
    finally:
        await db.close()


class Runtime(Protocol):
    async def run(self, stop: asyncio.Event) -> None: ...

    async def close(self) -> None: ...


async def supervise(runtime: Runtime, stop: asyncio.Event) -> None:
    """Keep one messenger running: if it fails (say the network is down at start), log it and
    start it again with backoff, while the other messenger goes on."""
    backoff = 1.0
    name = type(runtime).__name__
    while not stop.is_set():
        try:
            await runtime.run(stop)
            return
        except Exception:
            log.exception("%s stopped with an error; restarting in %.0fs", name, backoff)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), backoff)
        backoff = min(backoff * 2, 60.0)


def tune_gc() -> None:
    """Measured (bench/load.py): the cyclic garbage collector took about a third of the CPU of
    an update, mostly re-scanning the long-lived objects made at start (modules, locales,
    routers). Move those out of its sight (`gc.freeze`) and collect the young generation less
    often; cycles are still collected."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 50, 100)


async def start_ops_server(app: App, stop: asyncio.Event) -> tuple[OpsServer, asyncio.Task[None]]:
    """The health and metrics endpoints (METRICS_PORT) and the heartbeat they watch."""
    assert app.metrics is not None and app.settings.metrics_port is not None
    health = Health(app.metrics, SqliteOpsProbe(app.db), enabled_platforms(app.settings))
    server = OpsServer(health, app.settings.metrics_host, app.settings.metrics_port)
    try:
        await server.start()
    except OSError as error:
        raise StartupError(
            f"METRICS_PORT {app.settings.metrics_port} on {app.settings.metrics_host} cannot "
            f"be used ({error.strerror or error}): choose a free port or leave METRICS_PORT empty."
        ) from None
    return server, asyncio.create_task(health.heartbeat(stop), name="Heartbeat")


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


async def start_web(app: App) -> WebRuntime:
    """The web chat's runtime; in the try-it-out mode (no messenger, WEB_ENABLED left empty) an
    empty database gets the shipped examples first, and the page says it shows example data."""
    from bot.web.runtime import WebRuntime
    from storage.web import SqliteWebRepository

    web = WebRuntime(app.settings, app.core, app.translator)
    web.bind(SqliteWebRepository(app.db))
    if app.settings.web_only_demo:
        state = app.services.runtime_state
        _, vacancies = await app.services.vacancies.admin_listing(0, 1)
        if await state.get("examples.imported") is None and vacancies == 0:
            from bot.admin_cli import import_examples

            count = await import_examples(app, EXAMPLES)
            await state.set("examples.imported", "1")
            log.info(
                "the database was empty: imported the examples from %s (%s vacancies, and the "
                "content library) so there is something to try",
                EXAMPLES,
                count,
            )
        web.example_data = await state.get("examples.imported") is not None
    try:
        await web.start()
    except OSError as error:
        raise StartupError(
            f"WEB_PORT {app.settings.web_port} on {app.settings.web_host} cannot be used "
            f"({error.strerror or error}): choose a free port with WEB_PORT."
        ) from None
    if app.metrics is not None:
        app.metrics.webhook_set(Platform.WEB)  # served here: ready while the process runs
    return web


async def announce_web(web: WebRuntime, stop: asyncio.Event) -> None:
    """Print the two links once the web chat listens (printed, never logged: the admin link
    carries the token)."""
    started = asyncio.create_task(web.started.wait())
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({started, stopping}, return_when=asyncio.FIRST_COMPLETED)
    started.cancel()
    stopping.cancel()
    if not web.started.is_set():
        return
    lines = [f"Web chat for candidates: {web.settings.web_url}/"]
    admin = web.admin_link()
    if admin is not None:
        once = "" if web.settings.web_admin_token else " (works once)"
        lines.append(f"Web chat for admins{once}: {admin}")
    print("\n".join(lines), flush=True)


async def run(settings: Settings) -> None:
    """Run every configured messenger until SIGINT/SIGTERM, then stop gracefully. The process
    holds the database's lock (`<database>.lock`) all along, so a restore refuses meanwhile."""
    lock = ProcessLock(settings.database_path)
    lock.acquire()  # DatabaseLocked: another hr-bot runs on this database
    try:
        await _run(settings)
    finally:
        lock.release()


async def _run(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    metrics = Metrics() if settings.metrics_port is not None else None
    async with open_app(settings, metrics=metrics) as app:
        server = None
        background: list[asyncio.Task[None]] = []
        if metrics is not None:
            server, heartbeat = await start_ops_server(app, stop)
            background.append(heartbeat)
        runtimes: list[Runtime] = []
        if settings.telegram_enabled:
            from bot.telegram.runtime import TelegramRuntime

            runtimes.append(TelegramRuntime(settings, app.core, app.translator))
        if settings.vk_enabled:
            from bot.vk.runtime import VkRuntime

            runtimes.append(VkRuntime(settings, app.core, app.translator))
        web = await start_web(app) if settings.web_active else None
        if web is not None:
            runtimes.append(web)
        daily = DailyBackup(
            settings.database_path,
            settings.backups_dir,
            settings.backup_keep,
            utcnow,
            app.services.runtime_state,
            on_success=(lambda _: metrics.job_succeeded("backup")) if metrics else None,
        )
        jobs = Jobs(
            app.services,
            app.core.notifier,
            app.translator,
            settings.jobs_interval,
            metrics=metrics,
            extra=[("backup", daily.run)],
        )
        from bot.broadcast.wiring import build_broadcast_engine

        broadcasts = build_broadcast_engine(app, runtimes)
        # answers stored before this start whose receipt or post to HR was never sent
        stored_before = await app.services.applications.last_answer_id()
        background.append(
            asyncio.create_task(
                jobs.resume(stored_before, enabled_platforms(settings), stop), name="Resume"
            )
        )
        tasks = [
            asyncio.create_task(supervise(runtime, stop), name=type(runtime).__name__)
            for runtime in runtimes
        ]
        tasks.append(asyncio.create_task(jobs.run(stop), name="Jobs"))
        tasks.append(asyncio.create_task(broadcasts.run(stop), name="Broadcasts"))
        tune_gc()
        log.info("hr-bot started: %s", ", ".join(task.get_name() for task in tasks))
        if web is not None:
            background.append(asyncio.create_task(announce_web(web, stop), name="WebLinks"))
        try:
            await stop.wait()
            await asyncio.gather(*tasks, *background, return_exceptions=True)
            await app.core.drain(10)
            await app.core.notifier.drain(10)
        finally:
            for runtime in runtimes:
                await runtime.close()
            if server is not None:
                await server.close()
            log.info("hr-bot stopped")
