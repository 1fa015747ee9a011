## HR review: notifications, decisions, questions, extensions.

hr-new-answer = 📥 <b>New answer to a test task</b>: application No. { $number }
hr-replaced-answer = 🔁 <b>The candidate replaced the answer</b>: application No. { $number }
hr-late = ⚠️ Sent after the deadline ({ $deadline })
hr-candidate = Candidate: { $candidate }
hr-vacancy = Vacancy: { $title }
hr-source = Source: { $source }
hr-time = Time: { $time }
hr-answer-text = Answer:
    { $text }
hr-answer-file = The answer is the file "{ $name }" (in the message above).
hr-answer-photo = The answer is a photo (in the message above).
hr-btn-accept = ✅ Accept
hr-btn-reject = ❌ Reject
hr-btn-ask = ❓ Ask a question
hr-platform-tg = Telegram
hr-platform-vk = VK
hr-platform-web = web chat

hr-comment-prompt = Application No. { $number }: { $decision }. Write a comment for the candidate (they will see it) or press "No comment".
hr-decision-accept = accept
hr-decision-reject = reject
hr-btn-no-comment = No comment
hr-btn-cancel = Cancel
hr-cancelled = Cancelled; no decision was made.
hr-decided = Done: application No. { $number } { $decision }. The candidate was notified.
hr-decided-accepted = accepted
hr-decided-rejected = rejected
hr-already-decided = Application No. { $number } is already decided: { $decision } by { $reviewer }, { $time }.
hr-not-submitted = This application has no answer yet, so there is nothing to decide.
hr-open-private = Open the bot in a private chat to add comments. The decision was made without a comment.

hr-ask-prompt = Write your question to the candidate about application No. { $number }. It reaches them from HR.
hr-question-sent = The question was sent to the candidate.
hr-question-failed = The question could not be delivered: the candidate does not accept messages from the bot.
hr-reply = 💬 <b>The candidate's reply</b> about application No. { $number } ({ $candidate }):
    { $text }

hr-extension-request = ⏳ <b>Extension request</b>: application No. { $number }
hr-btn-grant = ✅ Extend by { $days } days
hr-btn-refuse = Refuse
hr-extension-granted = The deadline of application No. { $number } is extended to { $deadline }.
hr-extension-refused = The extension of application No. { $number } was refused.
hr-extension-handled = This request has already been handled.

candidate-accepted = 🎉 Your answer to the test task "{ $title }" (application No. { $number }) is accepted! HR will contact you soon.
candidate-rejected = Thank you for your answer to the test task "{ $title }" (application No. { $number }). Unfortunately, we are not ready to go further now.
candidate-comment = HR's comment: { $comment }
candidate-extension-granted = ⏳ The deadline of the test task "{ $title }" is extended to { $deadline }.
candidate-extension-refused = Unfortunately, the deadline of the task "{ $title }" cannot be extended. You can still send an answer: it will be marked late.
