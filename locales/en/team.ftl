## Team: employee invites, the list, content requests, posts from the chat.

admin-btn-team = 👥 Employees and content
cmd-newpost = add a post to the library
team-title = <b>Employees and content</b>
    Active employees: { $count }.
team-btn-invite = ➕ Invite an employee
team-btn-list = 👥 Employees
team-btn-newpost = 📝 Add a post
invite-prompt = Write the new employee's name and team separated by a comma (for example: "Anna Smirnova, Pokrovka coffee shop"), or press "No name".
invite-skip = No name
invite-created = <b>Invite created</b>, valid until { $expires }, single use.
    Telegram: send this link to the employee:
    { $tg_link }
    VK: the link, or the code to send to the community as /join { $code }:
    { $vk_link }
    Web chat: open this link in a browser:
    { $web_link }
invite-no-link = (this messenger is not connected now)
invite-welcome = 🎉 Welcome to the team! Content for your social accounts is now available to you.
invite-unknown = There is no such invite. Check the code or ask HR for a new one.
invite-used = This invite has already been used. Ask HR for a new one.
invite-expired = This invite has expired. Ask HR for a new one.
join-prompt = Send the invite code, for example ABCD-EFGH.
employees-title = <b>Employees</b> ({ $total })
employees-line = • { $name }{ $team }
employees-empty = No employees yet: invite the first one.
employees-revoke = ✖ { $name }
revoke-confirm = Revoke { $name }'s access to the content?
revoke-yes = Yes, revoke
revoke-no = No
revoke-done = Access revoked.
revoke-notice = Your access to the employee content has been revoked. If this is a mistake, write to HR.
revoke-missing = This employee has no access already.

request-hr = ✍️ <b>Content request No. { $number }</b> from { $name }:
    { $text }
request-btn-take = Take it
request-btn-fulfil = Fulfil
request-btn-decline = Decline
request-taken = Request No. { $number } is taken.
request-decline-prompt = Write the reason for declining request No. { $number }; the employee will see it.
request-declined = Request No. { $number } was declined; the employee got the reason.
request-handled = This request has already been handled.
newpost-prompt = Send the post in one message: a text, or a photo / document with a caption. The first line becomes the title.
newpost-category = Choose the post's category:
newpost-saved = The post "{ $title }" was added to "{ $category }".
newpost-empty = The post has no text: add a caption.
newpost-too-long = The text is longer than 1500 characters; shorten it.
