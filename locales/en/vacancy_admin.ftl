## Vacancy administration for admins: the list, the card with the funnel, create and edit,
## placement links.

cmd-vacancy-admin = manage vacancies
va-admin-entry = 💼 Vacancies

va-list-title = <b>All vacancies</b> ({ $total })
va-list-legend = 🟢 open · 📝 draft · ⛔ closed
va-list-line = { $mark } <b>{ $title }</b> — { $project }, { $place }
va-list-empty = There are no vacancies yet. Create the first one with the button below or import a file with <code>python -m bot import-vacancies</code>.
va-page = Page { $page } of { $pages }
va-btn-prev = ‹ Back
va-btn-next = Next ›
va-btn-new = ➕ New vacancy
va-btn-admin = « Admin panel
va-btn-list = « All vacancies
va-btn-card = « To the vacancy

va-mark-draft = 📝
va-mark-open = 🟢
va-mark-closed = ⛔
va-status-draft = draft
va-status-open = open
va-status-closed = closed
va-status-line = Status: { $mark } <b>{ $status }</b>
va-published-at = First published: { $date }

va-task-text-title = <b>Test task text</b>
va-task-file = Test task file: <code>{ $name }</code>

va-funnel-title = <b>Funnel by source</b>
    views → tasks issued → submitted → accepted
va-funnel-line = • <code>{ $source }</code>: { $views } → { $issued } ({ $issued_rate }) → { $submitted } ({ $submitted_rate }) → { $accepted } ({ $accepted_rate })
va-funnel-total = <b>Total:</b> { $views } → { $issued } ({ $issued_rate }) → { $submitted } ({ $submitted_rate }) → { $accepted } ({ $accepted_rate })
va-funnel-empty = Nobody has opened this vacancy yet, the funnel is empty.
va-rate = { $percent }%
va-rate-none = —

va-btn-edit = ✏️ Edit
va-btn-publish = 🚀 Publish
va-btn-close = ⛔ Close
va-btn-reopen = 🟢 Reopen
va-btn-placements = 🔗 Placement links
va-toast-same = The vacancy already has this status
va-toast-published = The vacancy is published
va-toast-reopened = The vacancy is open again
va-toast-closed = The vacancy is closed: candidates no longer see it in the list

va-new-title = <b>New vacancy</b>
va-edit-title = <b>Editing the vacancy “{ $title }”</b>
va-step = Step { $step } of { $total }
va-current = Now: { $value }
va-current-empty = Now: not filled in
va-yes = yes
va-no = no

va-field-title = Title
va-field-project = Project
va-field-city = City
va-field-remote = Remote
va-field-employment = Terms
va-field-requirements = Requirements
va-field-duties = Duties
va-field-not-fit = Who does not fit
va-field-offer = What we offer
va-field-contacts = Contacts
va-field-hashtags = Hashtags
va-field-task-text = Test task
va-field-deadline-days = Task deadline

va-ask-title = Write the title of the vacancy, { $min } to { $max } characters.
va-ask-project = Choose the project with a button below.
va-ask-city = Write the city (up to { $max } characters) or press “Remote only” if there is no office.
va-ask-remote = Can the work be done remotely?
va-ask-employment = Describe the terms: contract, schedule, working hours (up to { $max } characters).
va-ask-requirements = What do you require from a candidate? Up to { $max } characters.
va-ask-duties = What will the person do? Up to { $max } characters.
va-ask-not-fit = Who will this vacancy not suit? Up to { $max } characters. You may skip this one.
va-ask-offer = What does the company offer? Up to { $max } characters.
va-ask-contacts = Contacts for candidates' questions, up to { $max } characters.
va-ask-hashtags = Hashtags separated by spaces or commas, the # is optional (at most { $count }). You may skip this one.
va-ask-task-text = The text of the test task, up to { $max } characters. A file cannot be attached in this dialog: the task file is set in the import file (<code>python -m bot import-vacancies</code>).
va-ask-task-text-with-file = The text of the test task, up to { $max } characters. The file <code>{ $name }</code> is already attached to the task and will be kept, so you may skip the text. The file can only be replaced through the import file.
va-ask-deadline-days = How many days will a candidate have for the task? Write a number from { $min } to { $max }.

va-btn-skip = Skip ›
va-btn-cancel = ✖ Cancel
va-btn-remote-only = 🏠 Remote only
va-btn-yes = Yes
va-btn-no = No
va-btn-fields = « All fields

va-err-empty = The answer is empty. Please write the text.
va-err-too-long = That is too long: { $length } characters, the limit is { $limit }. Please shorten it.
va-err-too-short = That is too short: please use at least { $minimum } characters.
va-err-project = Please choose the project with a button, so there are no typos.
va-err-remote = Please answer with the “Yes” or “No” button.
va-err-no-place = A vacancy needs a city or remote work. Set a city in the “City” field or answer “Yes”.
va-err-no-place-short = A city or remote work is needed
va-err-hashtag = “{ $tag }” is not a valid hashtag: use 1 to 40 letters, digits or “_”.
va-err-hashtags-many = There are { $count } hashtags, at most { $max } are allowed. Please keep the most important ones.
va-err-days = Please send a whole number of days from { $min } to { $max }, for example 7.
va-err-text-only = Text is needed here. Files are not accepted in this dialog — the task file can be set in the import file.
va-err-missing = Please fill in this field to save the vacancy.
va-err-missing-short = Some fields are not filled in
va-hint-use-buttons = Please choose a field with the buttons below or open the preview.

va-fields-title = What would you like to change? Choose a field — the others stay as they are.
va-btn-preview = 👁 Preview

va-preview-title = <b>Preview.</b> This is how candidates will see the vacancy:
va-preview-question = Is everything right?
va-btn-save-open = 🚀 Publish
va-btn-save-draft = 📝 Save as draft
va-btn-save-keep = 💾 Save, keep the status
va-btn-edit-field = ✏️ Edit a field

va-cancelled = Cancelled: nothing was saved.
va-cancelled-short = Cancelled
va-saved-open = ✅ The vacancy is saved and published.
va-saved-draft = ✅ The draft is saved. Candidates do not see it.
va-saved-closed = ✅ The changes are saved, the vacancy stays closed.
va-saved-notices = Subscribers to similar vacancies will get a notice.

va-pl-title = <b>Placement links: { $title }</b>
va-pl-intro = Each job board gets its own link: whoever comes through it is counted in the funnel under that source.
va-pl-empty = There are no links yet.
va-pl-item = • <code>{ $source }</code>
va-pl-link-tg = Telegram: <code>{ $link }</code>
va-pl-link-vk = VK: <code>{ $link }</code>
va-pl-link-web = Web chat: <code>{ $link }</code>
va-pl-no-links = the link will appear once the bot is connected to a messenger
va-btn-pl-new = ➕ New link
va-pl-ask = Where will the vacancy “{ $title }” be posted? Write a source name in Latin letters, for example <code>hh_ru</code> or <code>vk_kazan_jobs</code>: letters, digits, “_” and “-”, up to 32 characters.
va-pl-bad = “{ $source }” cannot be used: only Latin letters, digits, “_” and “-”, up to 32 characters.
va-pl-created = ✅ The link for “{ $source }” is ready.
va-pl-exists = The source “{ $source }” already existed — here are its links.
