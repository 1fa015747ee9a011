## Social-profile hygiene checklist. Items are data: to add one, put its id into
## checklist-items and add checklist-item-<id> and checklist-tip-<id> to every language.
## No code change is needed.

checklist-items = avatar, photos, manner, groups, posts, privacy, pause, own-views

menu-checklist = ✅ Profile checklist
cmd-checklist = social profile checklist

checklist-title = <b>Social profile checklist</b>
checklist-intro = Recruiters usually look at candidates' social profiles before inviting them to an interview. Go through the items and tick what you have checked. Press "?" to see why an item matters.
checklist-progress = { $done } of { $total } done
checklist-no-passwords = 🔒 The company never asks for the passwords or logins to your social accounts, and neither does this bot. If anyone asks, do not answer.
checklist-page = Page { $page } of { $pages }
checklist-complete = 🎉 <b>Every item is done!</b> Your profile is ready for a recruiter's look. Good luck!
checklist-complete-short = 🎉 All done!
checklist-done-mark = ✅
checklist-todo-mark = ⬜
checklist-tip-button = ?
checklist-btn-prev = ‹ Back
checklist-btn-next = Next ›
checklist-btn-reset = ↺ Start over
checklist-btn-back = « To the checklist
checklist-btn-vacancies = 💼 Vacancies
checklist-btn-toggle-done = ✅ Mark as done
checklist-btn-toggle-undo = ⬜ Unmark
checklist-reset-confirm = Clear every tick and start the checklist over?
checklist-reset-yes = Yes, clear
checklist-reset-no = No, keep
checklist-reset-done = Ticks cleared
checklist-marked = Marked
checklist-unmarked = Unmarked
checklist-unknown-item = There is no such item in the checklist

checklist-inline-title = Social profile checklist
checklist-inline-description = What to check on your social accounts before an interview
checklist-inline-text = <b>Social profile checklist</b>
    Recruiters look at candidates' profiles before an interview. Check yours:
checklist-inline-button = Open the checklist

checklist-item-avatar = Avatar and nickname
checklist-tip-avatar = <b>Your avatar and nickname</b> are your face online: people see them first.
    Check: nothing provocative or too revealing in the picture, and a neutral nickname. It need not be a suit photo, just a pleasant one.
checklist-item-photos = Photos
checklist-tip-photos = <b>Photos</b> say more about you than a CV.
    Check: remove wild party reports and indecent pictures, including the ones friends tagged you in.
checklist-item-manner = Manner of communication
checklist-tip-manner = <b>How you talk</b> in comments hints at how you act under stress.
    Check for swearing, harsh or aggressive statements, and insulting posts about politics or religion.
checklist-item-groups = Groups and communities
checklist-tip-groups = <b>Groups and communities</b> show your interests.
    Look through your subscriptions: they need not be only professional, but nothing there should embarrass you.
checklist-item-posts = Statuses and posts
checklist-tip-posts = <b>Statuses and posts</b> about work are read by future employers too.
    Check for complaints about a current or former employer. In 2011 several Volvo employees were fired after one called work a madhouse and others liked the post.
checklist-item-privacy = Privacy settings
checklist-tip-privacy = <b>Privacy settings</b> decide who sees your private life.
    Check what strangers can see: photos, friends list, wall posts. Hide what is meant for close people only.
checklist-item-pause = Pause before posting
checklist-tip-pause = <b>A pause before posting</b> saves you from hasty words.
    Reread the post and imagine your future manager reading it. What you write online stays for long; correct mistakes politely.
checklist-item-own-views = Your views are your own
checklist-tip-own-views = <b>Your views are your own.</b>
    Write in the first person and make clear you speak for yourself, not for your employer. Take work issues to HR, not to social networks.
