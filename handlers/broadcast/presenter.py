"""The screens the delivery engine shows a broadcast's author: progress, final state, report."""

from __future__ import annotations

from bot.broadcast.model import Broadcast, BroadcastStatus
from bot.domain import Platform
from bot.i18n import Translator
from bot.ui import Button, Screen, act
from handlers.broadcast.common import count_lines, duration, status_label


class BroadcastPresenter:
    """The screens the delivery engine shows the author (in the author's language)."""

    def __init__(self, tr: Translator, *, web: bool = False) -> None:
        """`web`: the web chat runs, so reports say what "delivered" means there."""
        self.tr = tr
        self.web = web

    def _counts(self, broadcast: Broadcast) -> list[str]:
        lines = count_lines(self.tr, broadcast.author_locale, broadcast)
        if self.web and broadcast.audience.platform in (None, Platform.WEB):
            lines.append(self.tr(broadcast.author_locale, "bc-count-web-note"))
        return lines

    def progress(self, broadcast: Broadcast, rate: float | None, eta: float | None) -> Screen:
        tr, locale, counts = self.tr, broadcast.author_locale, broadcast.counts
        lines: list[str] = [
            tr(
                locale,
                "bc-progress-title",
                id=broadcast.id,
                status=status_label(tr, locale, broadcast),
            )
        ]
        if broadcast.status is BroadcastStatus.CANCELLED:
            lines.append(tr(locale, "bc-progress-stopping"))
        if not broadcast.filled:
            lines.append(tr(locale, "bc-progress-preparing"))
        else:
            percent = int(counts.done * 100 / counts.total) if counts.total else 100
            lines.append(
                tr(
                    locale,
                    "bc-progress-done",
                    done=counts.done,
                    total=counts.total,
                    percent=percent,
                )
            )
            lines.append(
                tr(
                    locale,
                    "bc-progress-detail",
                    sent=counts.sent,
                    blocked=counts.blocked,
                    failed=counts.failed,
                    unknown=counts.unknown,
                )
            )
            if rate is not None:
                lines.append(
                    tr(
                        locale,
                        "bc-progress-rate",
                        rate=f"{rate:.1f}",
                        eta=duration(eta) if eta is not None else "—",
                    )
                )
        rows = [[Button(tr(locale, "bc-btn-report"), act("bc.r", broadcast.id))]]
        if broadcast.status is BroadcastStatus.RUNNING:
            rows.insert(
                0, [Button(tr(locale, "bc-btn-cancel-broadcast"), act("bc.x", broadcast.id))]
            )
        return Screen.of("\n".join(lines), rows)

    def final(self, broadcast: Broadcast) -> Screen:
        tr, locale = self.tr, broadcast.author_locale
        lines: list[str] = [
            tr(
                locale,
                "bc-progress-title",
                id=broadcast.id,
                status=status_label(tr, locale, broadcast),
            )
        ]
        lines += self._counts(broadcast)
        return Screen.of(
            "\n".join(lines), [[Button(tr(locale, "bc-btn-report"), act("bc.r", broadcast.id))]]
        )

    def report(self, broadcast: Broadcast) -> Screen:
        tr, locale = self.tr, broadcast.author_locale
        if broadcast.status is BroadcastStatus.CANCELLED:
            head = tr(locale, "bc-report-cancelled", id=broadcast.id)
        else:
            took = 0.0
            if broadcast.started_at and broadcast.finished_at:
                took = (broadcast.finished_at - broadcast.started_at).total_seconds()
            head = tr(locale, "bc-report-done", id=broadcast.id, duration=duration(took))
        lines = [head, "", *self._counts(broadcast)]
        return Screen.of(
            "\n".join(lines), [[Button(tr(locale, "bc-btn-report"), act("bc.r", broadcast.id))]]
        )
