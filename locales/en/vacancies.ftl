## Vacancies: list, filters, card, links and subscriptions.

menu-vacancies = 💼 Vacancies
cmd-vacancies = open vacancies

project-coffee = Coffee shops
project-vintage = Vintage shop
project-veggie = Vegetarian corner
project-pastry = Pastry workshop
project-dental = Dental practice

vacancies-title = <b>Open vacancies</b> ({ $total })
vacancies-page = Page { $page } of { $pages }
vacancies-filters-active = Filters: { $filters }
vacancies-filter-remote = remote
vacancies-filter-query = "{ $query }"
vacancies-empty = There are no open vacancies right now. Subscribe and we will write when new ones appear.
vacancies-empty-filtered = Nothing matches these filters. Reset them or try another word.
vacancies-line = • <b>{ $title }</b> — { $project }, { $place }
vacancies-place-remote = remote
vacancies-place-city-remote = { $city } or remote
vacancies-btn-prev = ‹ Back
vacancies-btn-next = Next ›
vacancies-btn-filters = 🔎 Filters and search
vacancies-btn-reset = ✖ Reset filters
vacancies-btn-list = « To the list

filters-title = <b>Filters</b>
    Pick a project, a city or a hashtag, or search for a word.
filters-current = Now: { $filters }
filters-none = no filters
filters-all-projects = All projects
filters-any-city = Any city
filters-remote = 🏠 Remote only
filters-search = 🔎 Search by word
filters-show = Show vacancies
filters-search-prompt = Send a word to search for, such as "barista" or "marketing".
filters-search-empty = There are no words to search for. Send, for example, "pastry".
filters-search-cancel = Cancel

vacancy-project-place = { $project } · { $place }
vacancy-employment = <b>Terms</b>
vacancy-requirements = <b>Requirements</b>
vacancy-duties = <b>Duties</b>
vacancy-not-fit = <b>Who this is not for</b>
vacancy-offer = <b>What we offer</b>
vacancy-task = <b>The test task</b> is mandatory: { $days } days to complete it once you get it.
vacancy-contacts = <b>Contacts</b>
vacancy-closed = This vacancy is closed: hiring has finished.
vacancy-not-found = This vacancy is no longer published.
vacancy-btn-task = 📝 Get the test task
vacancy-btn-application = 📄 My test task
vacancy-btn-share = 🔗 Share
vacancy-btn-subscribe = 🔔 Similar vacancies

share-title = <b>Share the vacancy "{ $title }"</b>
share-text = The link opens the vacancy in the bot:
share-btn-telegram = Send in Telegram
share-btn-vk = Share on VK
share-btn-back = « To the vacancy

subscribe-title = <b>Notices about similar vacancies</b>
    Tick what to tell you about. We write once about each new matching vacancy.
subscribe-project = { $mark } Project: { $project }
subscribe-tag = { $mark } #{ $tag }
subscribe-on = Subscribed
subscribe-off = Unsubscribed

notice-new-vacancy = 🔔 <b>New vacancy:</b> { $title }
    { $project } · { $place }
notice-btn-open = Open the vacancy
