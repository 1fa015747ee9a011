"""Candidates' test tasks: get the task (the clock starts), consent, submit an answer (text,
link, document, photo), receipts, replacement before review, my applications, extensions and
replies to HR's questions."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.vacancies import Answer, AnswerKind, Application, ApplicationStatus, Vacancy
from bot.events import AttachmentKind, OutFile
from bot.i18n import Translator
from bot.services.applications import (
    AnswerInput,
    SubmitProblem,
    check_document,
    classify_text,
)
from bot.ui import Button, Screen, act
from handlers import interviews, review, screening
from handlers.common import back_to_menu, fmt_time, fmt_time_in, list_capacity
from handlers.context import Context
from handlers.registry import Registry
from handlers.vacancies import esc

ANSWER_STATE = "app.answer"
REPLY_STATE = "app.reply"


def _arg(ctx: Context, index: int = 0) -> int:
    action = ctx.event.action
    value = action.int_arg(index) if action is not None else None
    return value or 0


def status_text(ctx: Context, application: Application) -> str:
    if application.status is ApplicationStatus.SUBMITTED and application.late:
        return ctx.t("status-late")
    return ctx.t(f"status-{application.status}")


# --- the task -------------------------------------------------------------------------------


def task_screen(ctx: Context, vacancy: Vacancy, application: Application, again: bool) -> Screen:
    lines = [ctx.t("task-title", title=vacancy.title), ""]
    if vacancy.task_text:
        lines += [esc(vacancy.task_text), ""]
    if vacancy.task_file:
        lines.append(ctx.t("task-file"))
    lines.append(ctx.t("task-deadline", deadline=fmt_time(ctx, application.deadline_at)))
    if again:
        lines.append(ctx.t("task-again", issued=fmt_time(ctx, application.issued_at)))
    rows = []
    if not application.decided:
        rows.append([Button(ctx.t("task-btn-submit"), act("app.submit", application.id))])
    rows.append([Button(ctx.t("task-btn-vacancy"), act("vac.o", vacancy.id, 0))])
    return Screen.of("\n".join(lines), rows)


async def get_task(ctx: Context) -> None:
    vacancy = await ctx.services.vacancies.get_open(_arg(ctx))
    if vacancy is None:
        await ctx.reply.toast(ctx.t("task-unavailable"), alert=True)
        return
    existing = await ctx.services.applications.find(ctx.user.id, vacancy.id)
    if existing is None and await screening.start(ctx, vacancy):
        return  # the screening questions come first
    await issue_and_send(ctx, vacancy)


async def issue_and_send(ctx: Context, vacancy: Vacancy) -> None:
    application, created = await ctx.services.applications.issue(ctx.user.id, vacancy)
    await _send_task(ctx, vacancy, application, again=not created)


async def _send_task(
    ctx: Context, vacancy: Vacancy, application: Application, *, again: bool
) -> None:
    """The task replaces the pressed screen (Telegram asks bots to keep new messages in a chat
    to about one a second, and a chat of edits stays tidy); its file follows as a document."""
    await ctx.show(task_screen(ctx, vacancy, application, again))
    if vacancy.task_file:
        file = OutFile(name=vacancy.task_file_name or "task", local_path=vacancy.task_file)
        await ctx.notifier.send_file(
            ctx.user.platform, ctx.event.chat_id, file, "", f"task:{application.id}"
        )


async def show_task(ctx: Context) -> None:
    application = await ctx.services.applications.get_own(_arg(ctx), ctx.user.id)
    vacancy = await ctx.services.vacancies.get(application.vacancy_id) if application else None
    if application is None or vacancy is None:
        await ctx.registry.stale(ctx)
        return
    await _send_task(ctx, vacancy, application, again=True)


# --- consent and answers ------------------------------------------------------------------------


def consent_text(ctx: Context) -> str:
    return "\n\n".join([ctx.t("consent-title"), ctx.t("consent-text"), ctx.t("consent-question")])


async def start_submit(ctx: Context) -> None:
    application = await ctx.services.applications.get_own(_arg(ctx), ctx.user.id)
    if application is None:
        await ctx.registry.stale(ctx)
        return
    if application.decided:
        await ctx.reply.toast(ctx.t("answer-decided"), alert=True)
        return
    if not await ctx.services.applications.has_consent(ctx.user.id):
        await ctx.show(
            Screen.of(
                consent_text(ctx),
                [
                    [
                        Button(ctx.t("consent-yes"), act("app.cy", application.id)),
                        Button(ctx.t("consent-no"), act("app.cn", application.id)),
                    ]
                ],
            )
        )
        return
    await _prompt_answer(ctx, application)


async def _prompt_answer(ctx: Context, application: Application) -> None:
    """Ask for the answer in place of the task screen, with the task still in view."""
    vacancy = await ctx.services.vacancies.get(application.vacancy_id)
    title = vacancy.title if vacancy else ""
    await ctx.set_state(ANSWER_STATE, application=application.id)
    lines = []
    if vacancy is not None:
        lines += [task_screen(ctx, vacancy, application, again=False).text, ""]
    lines.append(ctx.t("answer-prompt", title=title))
    await ctx.show(
        Screen.of("\n".join(lines), [[Button(ctx.t("answer-cancel"), act("app.cancel"))]])
    )


async def consent_yes(ctx: Context) -> None:
    application = await ctx.services.applications.get_own(_arg(ctx), ctx.user.id)
    if application is None:
        await ctx.registry.stale(ctx)
        return
    await ctx.services.applications.give_consent(ctx.user.id, consent_text(ctx))
    await ctx.reply.toast(ctx.t("consent-accepted"))
    await _prompt_answer(ctx, application)


async def consent_no(ctx: Context) -> None:
    await ctx.clear_state()
    await ctx.reply.edit(
        Screen.of(
            ctx.t("consent-declined"),
            [[Button(ctx.t("application-btn-submit"), act("app.submit", _arg(ctx)))]],
        )
    )


async def cancel_answer(ctx: Context) -> None:
    await ctx.clear_state()
    await ctx.reply.edit(Screen.of(ctx.t("answer-cancelled"), [[back_to_menu(ctx)]]))


def _answer_input(ctx: Context) -> AnswerInput | str:
    """The answer in the message, or the locale key of the reason it cannot be accepted."""
    event = ctx.event
    if event.attachments:
        item = event.attachments[0]
        if item.kind is AttachmentKind.DOCUMENT:
            problem = check_document(item.file_name, item.mime_type, item.size)
            if problem is not None:
                return f"answer-{problem}"
            return AnswerInput(
                AnswerKind.DOCUMENT,
                text=event.text,
                file_ref=item.file_id,
                file_name=item.file_name,
                mime_type=item.mime_type,
                size=item.size,
            )
        if item.kind is AttachmentKind.PHOTO:
            if item.size is not None and item.size > 20 * 1024 * 1024:
                return "answer-too-big"
            return AnswerInput(
                AnswerKind.PHOTO,
                text=event.text,
                file_ref=item.file_id,
                file_name="photo.jpg",
                mime_type="image/jpeg",
                size=item.size,
            )
        return "answer-unsupported"
    return AnswerInput(classify_text(event.text), text=event.text)


async def on_answer(ctx: Context) -> None:
    assert ctx.state is not None
    application_id = int(ctx.state.data.get("application", 0))
    answer = _answer_input(ctx)
    if isinstance(answer, str):
        await ctx.reply.send(
            Screen.of(ctx.t(answer), [[Button(ctx.t("answer-cancel"), act("app.cancel"))]])
        )
        return
    result = await ctx.services.applications.submit(application_id, ctx.user.id, answer)
    if isinstance(result, SubmitProblem):
        if result in (SubmitProblem.EMPTY, SubmitProblem.TOO_LONG):
            await ctx.reply.send(
                Screen.of(
                    ctx.t(f"answer-{result}"),
                    [[Button(ctx.t("answer-cancel"), act("app.cancel"))]],
                )
            )
            return
        await ctx.clear_state()
        await ctx.reply.send(Screen.of(ctx.t(f"answer-{result}"), [[back_to_menu(ctx)]]))
        return
    await ctx.clear_state()
    latest = result.answers[-1]
    await ctx.reply.send(receipt_screen(ctx.tr, ctx.locale, result, latest))
    await ctx.services.applications.receipt_sent(latest.id)
    # the post to HR goes out in the background (HR's chats are paced); it is marked when
    # sent, and an answer whose post a crash cut off is posted by the next start
    ctx.notifier.later(_post_to_hr(ctx, result, latest), f"hr-answer-{latest.id}")


async def _post_to_hr(ctx: Context, application: Application, answer: Answer) -> None:
    await review.post_answer(ctx.services, ctx.tr, ctx.notifier, ctx.user, application, answer)
    await ctx.services.applications.hr_posted(answer.id)


def receipt_screen(tr: Translator, locale: str, application: Application, answer: Answer) -> Screen:
    """The receipt: the application's number and the time the answer was stored."""
    lines = [
        tr(
            locale,
            "receipt-title",
            number=application.id,
            time=fmt_time_in(tr, locale, answer.created_at),
        )
    ]
    if answer.late:
        lines.append(tr(locale, "receipt-late"))
    lines.append(tr(locale, "receipt-replace"))
    rows = []
    if answer.late and not application.extension:
        rows.append(
            [Button(tr(locale, "application-btn-extension"), act("app.ext", application.id))]
        )
    rows.append([Button(tr(locale, "receipt-btn-mine"), act("app.mine"))])
    return Screen.of("\n".join(lines), rows)


# --- my applications --------------------------------------------------------------------------


async def show_mine(ctx: Context) -> None:
    applications = await ctx.services.applications.mine(ctx.user.id)
    if not applications:
        await ctx.show(
            Screen.of(
                ctx.t("mine-empty"),
                [[Button(ctx.t("menu-vacancies"), act("vac.list", 0)), back_to_menu(ctx)]],
            )
        )
        return
    lines = [ctx.t("mine-title"), ""]
    rows: list[list[Button]] = []
    capacity = list_capacity(ctx.reply.limits, reserved_rows=1)
    for application in applications:
        vacancy = await ctx.services.vacancies.get(application.vacancy_id)
        title = vacancy.title if vacancy else "—"
        lines.append(
            ctx.t(
                "mine-line",
                number=application.id,
                title=title,
                status=status_text(ctx, application),
            )
        )
        if len(rows) < min(capacity, 8):
            label = ctx.t("mine-btn-open", number=application.id, title=title[:24])
            rows.append([Button(label, act("app.open", application.id))])
    rows.append([back_to_menu(ctx)])
    await ctx.show(Screen.of("\n".join(lines), rows))


def application_screen(
    ctx: Context,
    application: Application,
    title: str,
    interview_lines: Sequence[str] = (),
    interview_buttons: Sequence[Button] = (),
) -> Screen:
    lines: list[str] = [
        ctx.t("application-title", number=application.id, title=title),
        ctx.t("application-status", status=status_text(ctx, application)),
        ctx.t("application-issued", time=fmt_time(ctx, application.issued_at)),
        ctx.t("application-deadline", time=fmt_time(ctx, application.deadline_at)),
    ]
    if application.submitted_at:
        lines.append(ctx.t("application-submitted", time=fmt_time(ctx, application.submitted_at)))
        lines.append(ctx.t("application-answers", count=len(application.answers)))
    if application.extension:
        lines.append(ctx.t(f"application-extension-{application.extension}"))
    if application.comment:
        lines.append(ctx.t("application-comment", comment=application.comment))
    lines += interview_lines
    rows = [[button] for button in interview_buttons]
    if not application.decided:
        key = "application-btn-replace" if application.answers else "application-btn-submit"
        rows.append([Button(ctx.t(key), act("app.submit", application.id))])
        if not application.extension:
            rows.append(
                [Button(ctx.t("application-btn-extension"), act("app.ext", application.id))]
            )
    rows.append([Button(ctx.t("application-btn-task"), act("app.task.show", application.id))])
    rows.append([Button(ctx.t("application-btn-mine"), act("app.mine"))])
    return Screen.of("\n".join(lines), rows)


async def open_application(ctx: Context) -> None:
    application = await ctx.services.applications.get_own(_arg(ctx), ctx.user.id)
    if application is None:
        await ctx.registry.stale(ctx)
        return
    vacancy = await ctx.services.vacancies.get(application.vacancy_id)
    lines, buttons = await interviews.application_lines(ctx, application)
    await ctx.show(
        application_screen(ctx, application, vacancy.title if vacancy else "—", lines, buttons)
    )


async def request_extension(ctx: Context) -> None:
    application = await ctx.services.applications.request_extension(_arg(ctx), ctx.user.id)
    if application is None:
        await ctx.reply.toast(ctx.t("extension-unavailable"), alert=True)
        return
    await ctx.reply.toast(ctx.t("extension-sent"))
    vacancy = await ctx.services.vacancies.get(application.vacancy_id)
    await ctx.reply.edit(application_screen(ctx, application, vacancy.title if vacancy else "—"))
    await review.post_extension_request(ctx, application)


def reminder_screen(
    tr: Translator, locale: str, application: Application, vacancy: Vacancy
) -> Screen:
    """A day before the deadline, when nothing was submitted yet."""
    return Screen.of(
        tr(
            locale,
            "reminder",
            title=vacancy.title,
            deadline=fmt_time_in(tr, locale, application.deadline_at),
        ),
        [[Button(tr(locale, "task-btn-submit"), act("app.submit", application.id))]],
    )


# --- replies to HR's questions ----------------------------------------------------------------


async def start_reply(ctx: Context) -> None:
    application = await ctx.services.applications.get_own(_arg(ctx), ctx.user.id)
    if application is None:
        await ctx.registry.stale(ctx)
        return
    await ctx.set_state(REPLY_STATE, application=application.id)
    await ctx.reply.send(
        Screen.of(
            ctx.t("question-reply-prompt"),
            [[Button(ctx.t("answer-cancel"), act("app.cancel"))]],
        )
    )


async def on_reply(ctx: Context) -> None:
    assert ctx.state is not None
    application = await ctx.services.applications.get_own(
        int(ctx.state.data.get("application", 0)), ctx.user.id
    )
    text = ctx.event.text.strip()
    if application is None:
        await ctx.clear_state()
        await ctx.registry.stale(ctx)
        return
    if not text or len(text) > 4000:
        key = "answer-empty" if not text else "answer-too-long"
        await ctx.reply.send(
            Screen.of(ctx.t(key), [[Button(ctx.t("answer-cancel"), act("app.cancel"))]])
        )
        return
    await ctx.clear_state()
    await review.relay_reply(ctx, application, text)
    await ctx.reply.send(Screen.of(ctx.t("question-reply-sent"), [[back_to_menu(ctx)]]))


def register(r: Registry) -> None:
    r.command("applications", description_key="cmd-applications")(show_mine)
    r.menu("menu-applications", act("app.mine"), order=15)
    r.action("app.task")(get_task)
    r.action("app.task.show")(show_task)
    r.action("app.submit")(start_submit)
    r.action("app.cy")(consent_yes)
    r.action("app.cn")(consent_no)
    r.action("app.cancel")(cancel_answer)
    r.state(ANSWER_STATE)(on_answer)
    r.action("app.mine")(show_mine)
    r.action("app.open")(open_application)
    r.action("app.ext")(request_extension)
    r.action("app.reply")(start_reply)
    r.state(REPLY_STATE)(on_reply)
