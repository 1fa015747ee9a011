"""Privacy for everyone: the notice, the user's own data as a JSON file, erasure on request,
and the separate consent to stay in the talent pool."""

from __future__ import annotations

import time

from bot.services.privacy import TALENT_POOL, TALENT_POOL_VERSION
from bot.ui import Button, Screen, act
from handlers.common import back_to_menu
from handlers.context import Context
from handlers.registry import Registry


async def privacy(ctx: Context) -> None:
    days = ctx.services.privacy.retention_days
    await ctx.show(Screen.of(ctx.t("privacy-notice", days=days), [[back_to_menu(ctx)]]))


async def mydata(ctx: Context) -> None:
    data = await ctx.services.privacy.export_json(ctx.user.id)
    sent = await ctx.notifier.send_bytes(
        ctx.user,
        "my-data.json",
        data,
        ctx.t("mydata-caption"),
        f"mydata:{ctx.user.id}:{time.time_ns()}",
    )
    if not sent:
        await ctx.reply.send(Screen.of(ctx.t("mydata-failed")))


async def ask_delete(ctx: Context) -> None:
    await ctx.show(
        Screen.of(
            ctx.t("deletedata-confirm"),
            [
                [
                    Button(ctx.t("deletedata-yes"), act("pd.del.yes")),
                    Button(ctx.t("deletedata-no"), act("pd.del.no")),
                ]
            ],
        )
    )


async def delete(ctx: Context) -> None:
    text = ctx.t("deletedata-done")
    await ctx.services.privacy.erase(ctx.user.id, ctx.user.platform.value)
    await ctx.reply.toast()
    await ctx.reply.edit(Screen.of(text))


async def keep(ctx: Context) -> None:
    await ctx.reply.edit(Screen.of(ctx.t("deletedata-kept"), [[back_to_menu(ctx)]]))


async def offer_pool(ctx: Context) -> None:
    await ctx.reply.send(
        Screen.of(
            ctx.t("pool-consent"),
            [
                [
                    Button(ctx.t("pool-yes"), act("pd.pool.yes")),
                    Button(ctx.t("pool-no"), act("pd.pool.no")),
                ]
            ],
        )
    )


async def join_pool(ctx: Context) -> None:
    await ctx.services.applications.give_consent(
        ctx.user.id, ctx.t("pool-consent"), kind=TALENT_POOL, version=TALENT_POOL_VERSION
    )
    await ctx.reply.edit(Screen.of(ctx.t("pool-saved"), [[back_to_menu(ctx)]]))


async def skip_pool(ctx: Context) -> None:
    await ctx.reply.edit(Screen.of(ctx.t("pool-declined"), [[back_to_menu(ctx)]]))


def register(r: Registry) -> None:
    r.command("privacy", description_key="cmd-privacy")(privacy)
    r.command("mydata", description_key="cmd-mydata")(mydata)
    r.command("deletedata", description_key="cmd-deletedata")(ask_delete)
    r.action("pd.del.yes")(delete)
    r.action("pd.del.no")(keep)
    r.action("pd.pool")(offer_pool)
    r.action("pd.pool.yes")(join_pool)
    r.action("pd.pool.no")(skip_pool)
