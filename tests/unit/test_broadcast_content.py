"""Broadcast content rules: the admin's HTML kept safe, link buttons, Moscow times, audiences."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.broadcast.model import Audience, LinkButton, MediaKind, Who
from bot.domain import Platform
from bot.services.broadcasts import (
    ButtonProblem,
    ComposeProblem,
    TimeProblem,
    build_content,
    parse_buttons,
    parse_when,
    sanitize_html,
    visible_length,
)
from tests.fakes.html_check import parse_html

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # 12:00 in Moscow


def test_known_tags_are_kept_and_everything_else_is_escaped() -> None:
    assert sanitize_html("<b>Hi</b> & <i>all</i>") == "<b>Hi</b> &amp; <i>all</i>"
    assert sanitize_html("a < b > c") == "a &lt; b &gt; c"
    assert sanitize_html("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert sanitize_html('<a href="https://x.ru/?a=1&b=2">go</a>') == (
        '<a href="https://x.ru/?a=1&amp;b=2">go</a>'
    )
    # a link to anything but http(s), attributes, unclosed and crossed tags stay literal
    assert sanitize_html('<a href="javascript:x">go</a>') == (
        '&lt;a href="javascript:x"&gt;go&lt;/a&gt;'
    )
    assert sanitize_html('<b onclick="x">t</b>') == '&lt;b onclick="x"&gt;t&lt;/b&gt;'
    assert sanitize_html("<b>open") == "&lt;b&gt;open"
    assert sanitize_html("<b><i>x</b></i>") == "&lt;b&gt;<i>x&lt;/b&gt;</i>"
    assert sanitize_html("<B>up</B>") == "<b>up</b>"
    assert sanitize_html('<span class="tg-spoiler">s</span>') == '<span class="tg-spoiler">s</span>'


def test_sanitized_text_always_parses_as_telegram_html() -> None:
    samples = [
        "<b>a</b><i>",
        "</b>stray",
        "<<b>>x<</b>>",
        '<a href="https://e.com/"x">y</a>',
        "&amp; &lt; &#123; &bogus;",
        "<pre><code>x < y</code></pre>",
        "<blockquote expandable>q</blockquote>",
    ]
    for sample in samples:
        parse_html(sanitize_html(sample), strict_ampersand=True)


def test_visible_length_counts_utf16_after_tags() -> None:
    assert visible_length("<b>ab</b> &amp;") == 4
    assert visible_length("😀") == 2


def test_build_content_checks_sizes_and_kinds() -> None:
    content = build_content("  <b>Hello</b>  ", platform=Platform.TELEGRAM)
    assert not isinstance(content, ComposeProblem)
    assert content.text == "<b>Hello</b>" and content.media is None
    assert build_content("   ", platform=Platform.TELEGRAM) is ComposeProblem.EMPTY
    assert build_content("x" * 4097, platform=Platform.TELEGRAM) is ComposeProblem.TOO_LONG
    assert not isinstance(build_content("<b>" + "x" * 4096 + "</b>", platform=Platform.VK), str)
    photo = build_content("", platform=Platform.TELEGRAM, kind="photo", ref="AgAC", name="p.jpg")
    assert not isinstance(photo, ComposeProblem) and photo.media is not None
    assert photo.media.kind is MediaKind.PHOTO and photo.media.platform is Platform.TELEGRAM
    long_caption = build_content("x" * 1025, platform=Platform.VK, kind="document", ref="u")
    assert long_caption is ComposeProblem.CAPTION_TOO_LONG
    sticker = build_content("", platform=Platform.TELEGRAM, kind="other", ref="s")
    assert sticker is ComposeProblem.UNSUPPORTED
    big = build_content("", platform=Platform.VK, kind="document", ref="u", size=21 * 2**20)
    assert big is ComposeProblem.FILE_TOO_BIG


def test_link_buttons() -> None:
    assert parse_buttons("Сайт - https://example.com\n\nВК — https://vk.com/club1 ") == (
        LinkButton("Сайт", "https://example.com"),
        LinkButton("ВК", "https://vk.com/club1"),
    )
    assert parse_buttons("Apply | http://jobs.example.com/a?b=c") == (
        LinkButton("Apply", "http://jobs.example.com/a?b=c"),
    )
    assert parse_buttons("just text") == (ButtonProblem.FORMAT, 1)
    assert parse_buttons("A - https://a.ru\nB - ftp://b.ru") == (ButtonProblem.URL, 2)
    assert parse_buttons("B - javascript:alert(1)") == (ButtonProblem.URL, 1)
    assert parse_buttons("x" * 41 + " - https://a.ru") == (ButtonProblem.LABEL, 1)
    many = "\n".join(f"B{i} - https://a.ru/{i}" for i in range(7))
    assert parse_buttons(many) == (ButtonProblem.TOO_MANY, 7)


def test_times_are_moscow_and_in_the_future() -> None:
    assert parse_when("10.03.2026 15:30", NOW) == datetime(2026, 3, 10, 12, 30, tzinfo=UTC)
    assert parse_when("2026-03-11 08:00", NOW) == datetime(2026, 3, 11, 5, 0, tzinfo=UTC)
    assert parse_when("11.03.26 8:05", NOW) == datetime(2026, 3, 11, 5, 5, tzinfo=UTC)
    assert parse_when("12.03 10:00", NOW) == datetime(2026, 3, 12, 7, 0, tzinfo=UTC)
    assert parse_when("01.03 10:00", NOW) == datetime(2027, 3, 1, 7, 0, tzinfo=UTC)
    assert parse_when("13:00", NOW) == datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
    assert parse_when("11:00", NOW) == datetime(2026, 3, 11, 8, 0, tzinfo=UTC)  # tomorrow
    assert parse_when("10.03.2026 11:59", NOW) is TimeProblem.PAST
    assert parse_when("10.03.2026 12:00", NOW) is TimeProblem.PAST
    assert parse_when("01.01.2030 10:00", NOW) is TimeProblem.TOO_FAR
    for bad in ("tomorrow", "32.01.2026 10:00", "25:00", "10.03.2026"):
        assert parse_when(bad, NOW) is TimeProblem.FORMAT, bad


def test_audience_round_trips_through_json() -> None:
    audience = Audience(Who.TAG, "бариста", Platform.VK, "en")
    assert Audience.from_json(audience.to_json()) == audience
    assert Audience.from_json("{}") == Audience()
    assert Audience.from_json('{"who": "evil", "platform": "x"}') == Audience()
    assert Audience.from_json("not json") == Audience()


def test_formatting_made_in_telegram_is_kept() -> None:
    from aiogram.types import Chat, Message, MessageEntity, User

    from bot.telegram.convert import from_message

    text = "Скидка 20% & <кофе> сегодня"
    message = Message(
        message_id=1,
        date=0,
        chat=Chat(id=5, type="private"),
        from_user=User(id=5, is_bot=False, first_name="A"),
        text=text,
        entities=[MessageEntity(type="bold", offset=0, length=10)],
    )
    event = from_message(message, "hr_test_bot")
    assert event is not None and event.html == "<b>Скидка 20%</b> &amp; &lt;кофе&gt; сегодня"
    content = build_content(event.html, platform=Platform.TELEGRAM, formatted=True)
    assert not isinstance(content, ComposeProblem)
    assert content.text == "<b>Скидка 20%</b> &amp; &lt;кофе&gt; сегодня"  # not escaped twice
    plain = from_message(message.model_copy(update={"entities": None}), "hr_test_bot")
    assert plain is not None and plain.html is None
