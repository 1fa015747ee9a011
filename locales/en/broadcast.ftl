## Broadcasts: composing, audience, preview, sending now or on schedule, progress, reports.

cmd-broadcast = new broadcast
cmd-broadcasts = broadcasts: list, reports, cancel
admin-btn-broadcasts = 📣 Broadcasts

bc-compose-prompt = <b>New broadcast</b>
    Send the message people will get: a text, or a photo / document with a caption.
    Telegram formatting works: &lt;b&gt;bold&lt;/b&gt;, &lt;i&gt;italic&lt;/i&gt;, &lt;a href="https://…"&gt;link&lt;/a&gt;. VK gets the same text without formatting.
bc-btn-cancel = ✖ Cancel
bc-problem-empty = The message has no text. Send a text, a photo or a document.
bc-problem-too-long = The text is longer than 4096 characters, more than one Telegram message holds. Please shorten it.
bc-problem-caption-too-long = The caption is longer than 1024 characters. Shorten it, or send the text without a file.
bc-problem-unsupported = This kind of attachment cannot be broadcast. Send a text, a photo or a document.
bc-problem-file-too-big = The file is larger than 20 MB and cannot be passed to the other messenger. Send a smaller file.

bc-buttons-prompt = Add link buttons? Send lines like
    <code>Title - https://example.com</code>
    one button per line (at most { $max }), or press "No buttons".
bc-btn-skip = No buttons ›
bc-buttons-format = Line { $line }: use "Title - https://link".
bc-buttons-label = Line { $line }: a button title is 1 to { $max } characters.
bc-buttons-url = Line { $line }: the link must start with http:// or https://.
bc-buttons-too-many = At most { $max } buttons.

bc-audience-title = <b>Who gets broadcast #{ $id }</b>
bc-audience-who = Recipients: { $who }
bc-audience-platform = Messenger: { $platform }
bc-audience-locale = Language: { $language }
bc-audience-size = That is <b>{ $count }</b> people now. People who blocked the bot are not counted.
bc-who-all = all users
bc-who-candidates = candidates
bc-who-employees = employees
bc-who-project = subscribers of the project "{ $project }"
bc-who-tag = subscribers of the hashtag #{ $tag }
bc-platform-tg = Telegram
bc-platform-vk = VK
bc-platform-web = web chat
bc-locale-any = any
bc-locale-ru = Russian
bc-locale-en = English
bc-btn-all = Everyone
bc-btn-candidates = Candidates
bc-btn-employees = Employees
bc-btn-project = Project subscribers
bc-btn-tag = Hashtag subscribers
bc-btn-platform = Messenger: { $platform }
bc-btn-locale = Language: { $language }
bc-btn-preview = Preview ›
bc-btn-back = ‹ Back
bc-project-choose = Subscribers of which project get the broadcast?
bc-tag-prompt = Write the hashtag (without #) whose subscribers get the broadcast.
bc-tag-popular = Popular: { $tags }
bc-tag-bad = A hashtag is one word of letters, digits, "_" and "-". Please try again.

bc-preview-above = ⬆ This is what recipients will see.
bc-preview-failed = ⚠ The preview could not be sent. Check the message or try again.
bc-preview-summary = Broadcast #{ $id }: { $audience }. Recipients now: <b>{ $count }</b>.
bc-btn-test = 📨 Test copy to me
bc-btn-send-now = 🚀 Send now
bc-btn-schedule = 🕒 Schedule
bc-btn-audience = 👥 Recipients
bc-test-sent = The copy has been sent.
bc-test-failed = The copy could not be sent.
bc-confirm-now = Send broadcast #{ $id } now? Recipients: <b>{ $count }</b> ({ $audience }).
bc-btn-confirm-now = ✅ Yes, send
bc-nobody = Nobody matches these conditions now: choose other recipients.
bc-started = 🚀 Broadcast #{ $id } started: { $count } recipients. Progress is in the next message.
bc-when-prompt = When should it go out? Write the date and time in Moscow time, for example <code>{ $example }</code>.
bc-when-format = That date could not be read. Use <code>DD.MM.YYYY HH:MM</code>, for example <code>{ $example }</code>.
bc-when-past = That time has passed. Give a moment in the future.
bc-when-too-far = A broadcast can be scheduled at most a year ahead.
bc-confirm-schedule = Schedule broadcast #{ $id } for { $when }?
    <b>{ $count }</b> people match now ({ $audience }); the recipients are chosen when it goes out.
bc-btn-confirm-schedule = ✅ Schedule
bc-scheduled = 🕒 Broadcast #{ $id } is scheduled for { $when }. To see or cancel it: /broadcasts
bc-aborted = The broadcast was cancelled; nothing was sent.
bc-draft-gone = This draft is out of date. Start again: /broadcast

bc-list-title = <b>Broadcasts</b> ({ $total })
bc-list-empty = There have been no broadcasts yet.
bc-list-line = #{ $id } · { $status } · { $when } · { $sent } of { $total }
bc-list-button = #{ $id } · { $status }
bc-list-page = Page { $page } of { $pages }
bc-btn-new = ➕ New broadcast
bc-btn-prev = ‹ Back
bc-btn-next = Next ›
bc-status-draft = draft
bc-status-scheduled = 🕒 scheduled
bc-status-running = ⏳ sending
bc-status-done = ✅ done
bc-status-cancelled = ✖ cancelled

bc-report-title = <b>Broadcast #{ $id }</b> — { $status }
bc-report-audience = Recipients: { $audience }
bc-report-content = Message: { $text }
bc-report-media-photo = 📷 photo
bc-report-media-document = 📎 document
bc-report-buttons = buttons: { $count }
bc-report-created = Created: { $when }
bc-report-scheduled = Scheduled for: { $when }
bc-report-started = Started: { $when }
bc-report-finished = Finished: { $when }
bc-report-errors = Common errors: { $errors }
bc-count-total = Recipients: { $count }
bc-count-sent = Delivered: { $count }
bc-count-blocked = Blocked the bot: { $count }
bc-count-failed = Not delivered because of an error: { $count }
bc-count-unknown = Unknown (no answer came; not sent again): { $count }
bc-count-pending = Not sent yet: { $count }
bc-count-web-note = In the web chat, delivered means stored in the visitor's chat: they see it when they open the chat.
bc-btn-refresh = 🔄 Refresh
bc-btn-cancel-broadcast = ✖ Cancel broadcast
bc-btn-copy = 📨 Copy to me
bc-btn-list = ‹ To the list
bc-btn-report = 📊 Report
bc-cancel-confirm = Cancel broadcast #{ $id }? Messages already delivered stay with their recipients.
bc-btn-cancel-yes = Yes, cancel
bc-btn-cancel-no = No
bc-cancelled = Broadcast #{ $id } is cancelled.
bc-cancel-too-late = Broadcast #{ $id } has already finished: nothing to cancel.

bc-progress-title = 📣 <b>Broadcast #{ $id }</b> — { $status }
bc-progress-preparing = Choosing the recipients…
bc-progress-done = Sent: { $done } of { $total } ({ $percent }%)
bc-progress-detail = delivered { $sent } · blocked { $blocked } · errors { $failed } · unknown { $unknown }
bc-progress-rate = Rate: { $rate } per second · about { $eta } left
bc-progress-stopping = Stopping…
bc-report-done = ✅ Broadcast #{ $id } finished in { $duration }.
bc-report-cancelled = ✖ Broadcast #{ $id } was cancelled.
