"""HR review: submissions posted to HR (HR_CHAT_ID or every admin), accept / reject with an
optional comment, questions relayed to the candidate and back, extension requests.

Only admins can act, on any update type: the registry checks the role of every button press,
and each handler re-loads the application and checks its state before changing anything.
"""

from __future__ import annotations

import html
from datetime import datetime

from bot.domain import Platform, User
from bot.domain.vacancies import Answer, AnswerKind, Application, ApplicationStatus
from bot.events import FileKind, OutFile
from bot.i18n import Markup, Translator
from bot.notify import Notifier
from bot.services import Services
from bot.services.applications import EXTENSION_DAYS
from bot.ui import Button, Screen, act
from handlers.common import back_to_menu, fmt_time_in, refuse_non_admin, send_private
from handlers.context import Context
from handlers.registry import ADMINS, Registry

COMMENT_STATE = "hr.comment"
ASK_STATE = "hr.ask"
MAX_QUOTE = 3000


def _arg(ctx: Context) -> int:
    action = ctx.event.action
    value = action.int_arg(0) if action is not None else None
    return value or 0


def _time(ctx: Context, locale: str, moment: datetime) -> str:
    return fmt_time_in(ctx.tr, locale, moment)


def candidate_link(user: User) -> str:
    """The candidate's name as a link to their profile (HTML, escaped)."""
    name = html.escape(user.full_name or str(user.external_id), quote=False)
    if user.platform is Platform.VK:
        return f'<a href="https://vk.com/id{user.external_id}">{name}</a>'
    if user.platform is Platform.WEB:  # a web visitor has no profile to link to
        own = html.escape(user.full_name, quote=False)
        return f"{own} #{user.external_id}" if own else f"#{user.external_id}"
    if user.username:
        return f"{name} (@{html.escape(user.username, quote=False)})"
    return f'<a href="tg://user?id={user.external_id}">{name}</a>'


def _quote(text: str) -> str:
    text = text if len(text) <= MAX_QUOTE else text[:MAX_QUOTE] + "…"
    return html.escape(text, quote=False)


async def post_answer(
    services: Services,
    tr: Translator,
    notifier: Notifier,
    candidate: User,
    application: Application,
    answer: Answer,
) -> None:
    """Post one answer of the candidate to HR (also after a restart, for an answer whose post
    the process that stored it did not send)."""
    vacancy = await services.vacancies.get(application.vacancy_id)
    title = vacancy.title if vacancy else "—"
    replaced = any(earlier.id < answer.id for earlier in application.answers)
    screening = await services.screening.passed(application.user_id, application.vacancy_id)

    def build(locale: str) -> Screen:
        t = tr
        head = "hr-replaced-answer" if replaced else "hr-new-answer"
        lines = [t(locale, head, number=application.id)]
        if answer.late:
            lines.append(
                t(locale, "hr-late", deadline=fmt_time_in(tr, locale, application.deadline_at))
            )
        platform = t(locale, f"hr-platform-{candidate.platform}")
        lines += [
            t(locale, "hr-candidate", candidate=Markup(f"{candidate_link(candidate)}, {platform}")),
            t(locale, "hr-vacancy", title=title),
            t(locale, "hr-source", source=application.source),
            t(locale, "hr-time", time=fmt_time_in(tr, locale, answer.created_at)),
        ]
        if answer.kind is AnswerKind.DOCUMENT:
            lines.append(t(locale, "hr-answer-file", name=answer.file_name))
        elif answer.kind is AnswerKind.PHOTO:
            lines.append(t(locale, "hr-answer-photo"))
        if answer.text:
            lines.append(t(locale, "hr-answer-text", text=Markup(_quote(answer.text))))
        if screening is not None and screening.answers:
            lines.append(t(locale, "hr-screening-title"))
            lines += [
                t(locale, "hr-screening-line", question=item.question, answer=item.answer)
                for item in screening.answers
            ]
        return Screen.of("\n".join(lines), decision_rows(tr, locale, application.id))

    file = None
    if answer.file_ref:
        file = OutFile(
            name=answer.file_name or "answer",
            kind=FileKind.PHOTO if answer.kind is AnswerKind.PHOTO else FileKind.DOCUMENT,
            platform=candidate.platform,
            ref=answer.file_ref,
        )
    await notifier.to_hr(build, f"answer:{answer.id}", file)


async def post_extension_request(ctx: Context, application: Application) -> None:
    vacancy = await ctx.services.vacancies.get(application.vacancy_id)
    title = vacancy.title if vacancy else "—"

    def build(locale: str) -> Screen:
        t = ctx.tr
        text = "\n".join(
            [
                t(locale, "hr-extension-request", number=application.id),
                t(locale, "hr-candidate", candidate=Markup(candidate_link(ctx.user))),
                t(locale, "hr-vacancy", title=title),
                t(locale, "application-deadline", time=_time(ctx, locale, application.deadline_at)),
            ]
        )
        return Screen.of(
            text,
            [
                [
                    Button(
                        t(locale, "hr-btn-grant", days=EXTENSION_DAYS), act("hr.eg", application.id)
                    ),
                    Button(t(locale, "hr-btn-refuse"), act("hr.er", application.id)),
                ]
            ],
        )

    await ctx.notifier.to_hr(build, f"extension:{application.id}")


async def relay_reply(ctx: Context, application: Application, text: str) -> None:
    def build(locale: str) -> Screen:
        return Screen.of(
            ctx.tr(
                locale,
                "hr-reply",
                number=application.id,
                candidate=Markup(candidate_link(ctx.user)),
                text=text,
            ),
            decision_rows(ctx.tr, locale, application.id),
        )

    await ctx.notifier.to_hr(build, f"reply:{application.id}:{hash(text) & 0xFFFFFF}")


def decision_rows(tr: Translator, locale: str, application_id: int) -> list[list[Button]]:
    return [
        [
            Button(tr(locale, "hr-btn-accept"), act("hr.acc", application_id)),
            Button(tr(locale, "hr-btn-reject"), act("hr.rej", application_id)),
        ],
        [
            Button(tr(locale, "hr-btn-ask"), act("hr.ask", application_id)),
            Button(tr(locale, "hr-iv-btn-invite"), act("iv.inv", application_id)),
        ],
    ]


# --- decisions --------------------------------------------------------------------------------


async def _already_decided(ctx: Context, application: Application) -> str:
    reviewer = await ctx.services.users.get(application.reviewer_id or 0)
    name = reviewer.full_name if reviewer and reviewer.full_name else "—"
    decided_at = application.decided_at or ctx.services.applications.now()
    return ctx.t(
        "hr-already-decided",
        number=application.id,
        decision=ctx.t(f"hr-decided-{application.status}"),
        reviewer=name,
        time=_time(ctx, ctx.locale, decided_at),
    )


async def start_decision(ctx: Context, accept: bool) -> None:
    application = await ctx.services.applications.get(_arg(ctx))
    if application is None:
        await ctx.registry.stale(ctx)
        return
    if application.decided:
        await ctx.reply.toast(await _already_decided(ctx, application), alert=True)
        return
    if application.status is not ApplicationStatus.SUBMITTED:
        await ctx.reply.toast(ctx.t("hr-not-submitted"), alert=True)
        return
    decision = ctx.t("hr-decision-accept" if accept else "hr-decision-reject")
    prompt = Screen.of(
        ctx.t("hr-comment-prompt", number=application.id, decision=decision),
        [
            [
                Button(ctx.t("hr-btn-no-comment"), act("hr.nc")),
                Button(ctx.t("hr-btn-cancel"), act("hr.cancel")),
            ]
        ],
    )
    await ctx.reply.toast()
    await ctx.set_state(COMMENT_STATE, application=application.id, accept=accept)
    if not await send_private(ctx, prompt):
        await ctx.clear_state()
        await finish_decision(ctx, application.id, accept, "")
        await ctx.reply.send(Screen.of(ctx.t("hr-open-private")))


async def accept(ctx: Context) -> None:
    await start_decision(ctx, True)


async def reject(ctx: Context) -> None:
    await start_decision(ctx, False)


async def finish_decision(ctx: Context, application_id: int, accepted: bool, comment: str) -> None:
    application, decided = await ctx.services.applications.decide(
        application_id, ctx.user.id, accepted, comment
    )
    if application is None:
        await ctx.registry.stale(ctx)
        return
    if not decided:
        await ctx.reply.send(Screen.of(await _already_decided(ctx, application)))
        return
    await ctx.reply.send(
        Screen.of(
            ctx.t(
                "hr-decided",
                number=application.id,
                decision=ctx.t(f"hr-decided-{application.status}"),
            ),
            [[back_to_menu(ctx)]],
        )
    )
    candidate = await ctx.services.users.get(application.user_id)
    vacancy = await ctx.services.vacancies.get(application.vacancy_id)
    if candidate is None:
        return
    t = ctx.tr
    key = "candidate-accepted" if accepted else "candidate-rejected"
    lines = [
        t(candidate.locale, key, title=vacancy.title if vacancy else "", number=application.id)
    ]
    if application.comment:
        lines.append(t(candidate.locale, "candidate-comment", comment=application.comment))
    rows = [[Button(t(candidate.locale, "menu-applications"), act("app.open", application.id))]]
    rows.append([Button(t(candidate.locale, "pool-offer"), act("pd.pool"))])
    await ctx.notifier.send(
        candidate, Screen.of("\n\n".join(lines), rows), f"decision:{application.id}"
    )
    if accepted:  # the next step: the interview
        from handlers.interview_admin import invite_application

        await invite_application(ctx, application)
    await ctx.services.privacy.audit(
        ctx.user.id,
        "admin",
        "decision",
        f"application {application.id}",
        f"{application.status}" + (" with a comment" if application.comment else ""),
    )


async def on_comment(ctx: Context) -> None:
    if await refuse_non_admin(ctx):
        return
    assert ctx.state is not None
    data = ctx.state.data
    comment = ctx.event.text.strip()
    if not comment:
        return await _repeat_prompt(ctx)
    await ctx.clear_state()
    await finish_decision(ctx, int(data.get("application", 0)), bool(data.get("accept")), comment)


async def _repeat_prompt(ctx: Context) -> None:
    await ctx.reply.send(
        Screen.of(
            ctx.t("answer-empty"),
            [
                [
                    Button(ctx.t("hr-btn-no-comment"), act("hr.nc")),
                    Button(ctx.t("hr-btn-cancel"), act("hr.cancel")),
                ]
            ],
        )
    )


async def no_comment(ctx: Context) -> None:
    state = ctx.state
    if state is None or state.name != COMMENT_STATE:
        await ctx.registry.stale(ctx)
        return
    await ctx.clear_state()
    await ctx.reply.edit(Screen.of(ctx.t("hr-btn-no-comment")))
    await finish_decision(
        ctx, int(state.data.get("application", 0)), bool(state.data.get("accept")), ""
    )


async def cancel(ctx: Context) -> None:
    await ctx.clear_state()
    await ctx.reply.edit(Screen.of(ctx.t("hr-cancelled"), [[back_to_menu(ctx)]]))


# --- questions --------------------------------------------------------------------------------


async def ask(ctx: Context) -> None:
    application = await ctx.services.applications.get(_arg(ctx))
    if application is None:
        await ctx.registry.stale(ctx)
        return
    await ctx.reply.toast()
    await ctx.set_state(ASK_STATE, application=application.id)
    prompt = Screen.of(
        ctx.t("hr-ask-prompt", number=application.id),
        [[Button(ctx.t("hr-btn-cancel"), act("hr.cancel"))]],
    )
    if not await send_private(ctx, prompt):
        await ctx.clear_state()
        await ctx.reply.send(Screen.of(ctx.t("hr-open-private")))


async def on_question(ctx: Context) -> None:
    if await refuse_non_admin(ctx):
        return
    assert ctx.state is not None
    question = ctx.event.text.strip()
    if not question or len(question) > 2000:
        return await ctx.reply.send(
            Screen.of(
                ctx.t("answer-empty" if not question else "answer-too-long"),
                [[Button(ctx.t("hr-btn-cancel"), act("hr.cancel"))]],
            )
        )
    application = await ctx.services.applications.get(int(ctx.state.data.get("application", 0)))
    await ctx.clear_state()
    if application is None:
        await ctx.registry.stale(ctx)
        return
    candidate = await ctx.services.users.get(application.user_id)
    vacancy = await ctx.services.vacancies.get(application.vacancy_id)
    delivered = False
    if candidate is not None:
        locale = candidate.locale
        delivered = await ctx.notifier.send(
            candidate,
            Screen.of(
                ctx.tr(
                    locale,
                    "question-from-hr",
                    number=application.id,
                    title=vacancy.title if vacancy else "",
                    question=question,
                ),
                [[Button(ctx.tr(locale, "question-btn-reply"), act("app.reply", application.id))]],
            ),
            f"question:{application.id}:{ctx.event.raw_action or ''}:{hash(question) & 0xFFFFFF}",
        )
    key = "hr-question-sent" if delivered else "hr-question-failed"
    await ctx.reply.send(Screen.of(ctx.t(key), [[back_to_menu(ctx)]]))


# --- extensions -------------------------------------------------------------------------------


async def answer_extension(ctx: Context, grant: bool) -> None:
    application = await ctx.services.applications.answer_extension(_arg(ctx), grant)
    if application is None:
        await ctx.reply.toast(ctx.t("hr-extension-handled"), alert=True)
        return
    deadline = _time(ctx, ctx.locale, application.deadline_at)
    key = "hr-extension-granted" if grant else "hr-extension-refused"
    await ctx.reply.toast(ctx.t(key, number=application.id, deadline=deadline))
    await ctx.reply.edit(Screen.of(ctx.t(key, number=application.id, deadline=deadline)))
    candidate = await ctx.services.users.get(application.user_id)
    vacancy = await ctx.services.vacancies.get(application.vacancy_id)
    if candidate is None:
        return
    locale = candidate.locale
    text = ctx.tr(
        locale,
        "candidate-extension-granted" if grant else "candidate-extension-refused",
        title=vacancy.title if vacancy else "",
        deadline=_time(ctx, locale, application.deadline_at),
    )
    await ctx.notifier.send(
        candidate,
        Screen.of(
            text,
            [[Button(ctx.tr(locale, "menu-applications"), act("app.open", application.id))]],
        ),
        f"extension-answer:{application.id}",
    )


async def grant(ctx: Context) -> None:
    await answer_extension(ctx, True)


async def refuse(ctx: Context) -> None:
    await answer_extension(ctx, False)


def register(r: Registry) -> None:
    r.action("hr.acc", roles=ADMINS)(accept)
    r.action("hr.rej", roles=ADMINS)(reject)
    r.action("hr.nc", roles=ADMINS)(no_comment)
    r.action("hr.cancel", roles=ADMINS)(cancel)
    r.action("hr.ask", roles=ADMINS)(ask)
    r.action("hr.eg", roles=ADMINS)(grant)
    r.action("hr.er", roles=ADMINS)(refuse)
    r.state(COMMENT_STATE)(on_comment)
    r.state(ASK_STATE)(on_question)
