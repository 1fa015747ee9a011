## Shared texts: welcome, menu, help, language, errors.

default-name = friend
welcome = Hello, <b>{ $name }</b>! I am the HR bot of the team behind two coffee shops, a vintage clothing shop, a vegetarian corner, a pastry workshop and a dental practice.
welcome-role-candidate = Here you can get ready for a recruiter's look and follow your applications. Pick what you need from the menu below.
welcome-role-employee = You are on the team, thank you! Here you will find ready-made posts to share on your own social accounts.
welcome-role-admin = You are an administrator: the menu includes the admin panel.

menu-title = Main menu. What would you like to do?
menu-help = ❓ Help
menu-language = 🌐 Язык / Language
menu-admin = 🛠 Admin panel
btn-menu = « Menu
btn-back = « Back

cmd-start = start and open the menu
cmd-menu = main menu
cmd-help = what the bot can do
cmd-language = change the language
cmd-admin = admin panel

help-intro = <b>What this bot does</b>
help-role-candidate = For candidates, the bot helps get social profiles ready for a recruiter's look and keeps track of applications.
help-role-employee = For employees, the bot offers ready-made posts about the company to share on their own accounts.
help-role-admin = Administrators get a panel with statistics and HR tools.
help-commands = <b>Commands:</b>
help-privacy = The bot never asks for social-network passwords or logins. Anyone asking for them on the company's behalf is a scammer.

lang-choose = Выберите язык / Choose your language:
lang-name-ru = Русский
lang-name-en = English
lang-changed = Done: I will speak English from now on.
lang-changed-short = Language: English
lang-unknown = There is no such language. Available: Russian (ru) and English (en).

unknown-command = I do not know that command. See /help or pick a menu item.
unknown-input = Sorry, I did not understand that. Please use the menu buttons or /help.
stale-button = This button is out of date
stale-button-long = That button no longer works: the message may be out of date. Here is the current menu.
forbidden = This section is not available to you.
too-many-requests = Too many messages in a row. Please wait a couple of seconds.
error-generic = Sorry, something went wrong. We are looking into it; please try again a little later.
error-storage = Sorry, nothing was saved: a technical problem on our side. Please try again a bit later.

admin-title = <b>Admin panel</b>
admin-users = Users: { $total } ({ $platforms })
users-on-platform = { $platform }: { $count }
admin-roles = Candidates: { $candidates }, employees: { $employees }, admins: { $admins }
admin-new-week = New this week: { $count }
admin-blocked = Blocked the bot: { $count }
more-buttons = More options:
