## Content for employees: the library, texts to publish, the leaderboard, requests, guidelines.

menu-content = 📣 Content to share
cmd-content = content for your social accounts
cmd-join = join with an invite code

category-announcements = Team news
category-products = Product news
category-expertise = Expertise
category-recruiting = Vacancies and hiring
category-culture = Culture and team

content-title = <b>Content for your social accounts</b>
    Ready-made posts about our projects. Pick a category, take a text and post it yourself; your own words are welcome too.
content-category-line = { $name }: { $count }
content-category-button = { $name } ({ $count })
content-btn-leaderboard = 🏆 Leaderboard
content-btn-request = ✍️ Request content
content-btn-my-requests = 📋 My requests
content-btn-guidelines = 📘 Guidelines
content-no-access = This section is for employees. To get access, ask HR for an invite: a link for Telegram, or a code for VK (send it as /join CODE).
content-empty = There are no current posts in this category yet.
content-list-title = <b>{ $category }</b>: { $total } posts
content-page = Page { $page } of { $pages }
content-btn-prev = ‹ Back
content-btn-next = Next ›
content-btn-categories = « Categories
content-post-gone = This post is no longer available.

post-title = <b>{ $title }</b>
post-category = Category: { $category }
post-variants = Wordings: { $count }
post-referral = Your personal link to the vacancy is added to the text: candidates who come through it are credited to you.
post-btn-text = 📄 Get the text
post-btn-another = 🔄 Another wording
post-btn-share-tg = Share in Telegram
post-btn-share-vk = Share on VK
post-btn-posted = ✅ I posted it
post-btn-back = « To the list
post-text-intro = Copy the text below and post it on your account:
posted-prompt = Thank you! Send the link to your post, or press "No link".
posted-no-link = No link
posted-thanks = Counted: +{ $points } point(s). Thank you for telling people about us!
posted-capped = Your post is recorded. You have all of today's points already; come back tomorrow!
posted-bad-link = That does not look like a link. Send an address starting with http, or press "No link".

leaderboard-title = <b>Leaderboard: { $period }, { $kind }</b>
leaderboard-month = this month
leaderboard-all = all time
leaderboard-shares = posts
leaderboard-referrals = referred candidates
leaderboard-row-shares = { $place }. { $name }: { $points } point(s), posts: { $shares }
leaderboard-empty = Nobody yet: be the first!
leaderboard-you = You are in place { $place }.
leaderboard-you-none = You are not on this leaderboard yet.
leaderboard-cap = Points: 1 per post, at most { $cap } a day.
leaderboard-btn-month = This month
leaderboard-btn-all = All time
leaderboard-btn-shares = Posts
leaderboard-btn-referrals = Candidates

guidelines-text = <b>Social media guidelines</b>
    • Share what you find interesting yourself: project news, vacancies, team stories.
    • Speak in the first person and make clear these are your own views, not the company's official position.
    • Do not post internal information: figures, plans, guests' or patients' data, photos of staff areas without approval.
    • Do not argue with unhappy customers in comments: pass the question to HR or the manager.
    • Be polite and correct mistakes openly.
    • Change the text to your own words: networks show identical posts less.
    • The company never asks for your social-network passwords or logins.

request-prompt = Describe the content you need: topic, platform (Telegram, VK…), and by when. In one message.
request-sent = Request No. { $number } was sent. We will tell you when someone takes it.
request-too-long = Too long: keep it within 1500 characters.
request-empty = Describe your request in text.
requests-title = <b>My content requests</b>
requests-empty = No requests yet.
request-line = No. { $number } · { $status }: { $text }
request-status-new = new
request-status-taken = in progress
request-status-fulfilled = done
request-status-declined = declined
request-reason = reason: { $reason }
request-taken-notice = ✍️ Your content request No. { $number } was taken into work.
request-fulfilled-notice = ✅ Your content request No. { $number } is done; here is the post:
request-declined-notice = Content request No. { $number } was declined. Reason: { $reason }
