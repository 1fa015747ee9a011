"""Charts for the admin dashboard: PNG images (matplotlib, non-GUI backend) sized for a phone.

Every label comes from the caller (locale texts in the admin's language)."""

from __future__ import annotations

import io
from collections.abc import Sequence

WIDTH, HEIGHT, DPI = 6.4, 4.8, 150  # 960 x 720 px: readable on a phone


def _figure() -> tuple[object, object]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(WIDTH, HEIGHT), dpi=DPI)
    return figure, axes


def _png(figure: object) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.tight_layout()  # type: ignore[attr-defined]
    figure.savefig(buffer, format="png")  # type: ignore[attr-defined]
    plt.close(figure)  # type: ignore[arg-type]
    return buffer.getvalue()


def funnel(title: str, stages: Sequence[str], counts: Sequence[int]) -> bytes:
    """Horizontal bars from the widest stage down, with counts and step conversions."""
    figure, axes = _figure()
    positions = list(range(len(stages)))[::-1]
    axes.barh(positions, counts, color=["#4C72B0", "#55A868", "#C44E52", "#8172B2"][: len(stages)])  # type: ignore[attr-defined]
    axes.set_yticks(positions, stages, fontsize=12)  # type: ignore[attr-defined]
    top = max(counts) if counts and max(counts) else 1
    for index, (position, count) in enumerate(zip(positions, counts, strict=True)):
        label = str(count)
        if index and counts[index - 1]:
            label += f"  ({round(100 * count / counts[index - 1])}%)"
        axes.text(count + top * 0.01, position, label, va="center", fontsize=12)  # type: ignore[attr-defined]
    axes.set_xlim(0, top * 1.3)  # type: ignore[attr-defined]
    axes.set_title(title, fontsize=14)  # type: ignore[attr-defined]
    return _png(figure)


def bars(title: str, labels: Sequence[str], values: Sequence[int], xlabel: str) -> bytes:
    """One bar per label (sources), the largest first."""
    figure, axes = _figure()
    pairs = sorted(zip(labels, values, strict=True), key=lambda pair: -pair[1])[:10] or [("—", 0)]
    names = [name if len(name) <= 22 else name[:21] + "…" for name, _ in pairs][::-1]
    axes.barh(names, [value for _, value in pairs][::-1], color="#4C72B0")  # type: ignore[attr-defined]
    axes.set_xlabel(xlabel, fontsize=12)  # type: ignore[attr-defined]
    axes.tick_params(labelsize=11)  # type: ignore[attr-defined]
    axes.set_title(title, fontsize=14)  # type: ignore[attr-defined]
    return _png(figure)


def per_day(
    title: str,
    days: Sequence[str],
    first: Sequence[int],
    second: Sequence[int],
    legend: Sequence[str],
) -> bytes:
    """Two series per day (tasks issued, answers submitted)."""
    figure, axes = _figure()
    short = [day[5:] for day in days] or ["—"]
    axes.plot(short, list(first) or [0], marker="o", label=legend[0])  # type: ignore[attr-defined]
    axes.plot(short, list(second) or [0], marker="s", label=legend[1])  # type: ignore[attr-defined]
    axes.legend(fontsize=11)  # type: ignore[attr-defined]
    axes.tick_params(axis="x", labelrotation=45, labelsize=10)  # type: ignore[attr-defined]
    axes.set_title(title, fontsize=14)  # type: ignore[attr-defined]
    return _png(figure)
