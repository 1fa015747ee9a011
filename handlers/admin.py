"""The admin panel: a summary of who uses the bot; later issues add their tools here."""

from __future__ import annotations

from bot.ui import Button, Screen, act
from handlers.common import back_to_menu, users_by_platform
from handlers.context import Context
from handlers.registry import ADMINS, Registry


async def panel(ctx: Context) -> None:
    counts = await ctx.services.users.counts()
    text = "\n".join(
        [
            ctx.t("admin-title"),
            "",
            ctx.t(
                "admin-users",
                total=counts.total,
                platforms=users_by_platform(ctx, counts),
            ),
            ctx.t(
                "admin-roles",
                candidates=counts.by_role.get("candidate", 0),
                employees=counts.by_role.get("employee", 0),
                admins=counts.by_role.get("admin", 0),
            ),
            ctx.t("admin-new-week", count=counts.new_this_week),
            ctx.t("admin-blocked", count=counts.blocked),
        ]
    )
    screen = Screen.of(
        text,
        [
            [
                Button(ctx.t("va-admin-entry"), act("va", 0)),
                Button(ctx.t("iv-adm-entry"), act("iv.adm")),
            ],
            [Button(ctx.t("admin-btn-team"), act("tm"))],
            [Button(ctx.t("admin-btn-broadcasts"), act("bc.list", 0))],
            [
                Button(ctx.t("admin-btn-stats"), act("in.stats")),
                Button(ctx.t("admin-btn-export"), act("in.export")),
            ],
            [Button(ctx.t("admin-btn-audit"), act("in.audit")), back_to_menu(ctx)],
        ],
    )
    await ctx.show(screen)


def register(r: Registry) -> None:
    r.command("admin", roles=ADMINS, description_key="cmd-admin")(panel)
    r.action("admin", roles=ADMINS)(panel)
    r.menu("menu-admin", act("admin"), roles=ADMINS, order=80)
