## Candidates' test tasks: getting them, consent, answers, receipts, my applications.

menu-applications = 📄 My applications
cmd-applications = my applications and test tasks
time-zone = MSK

task-title = <b>Test task: { $title }</b>
task-deadline = ⏳ Deadline: <b>{ $deadline }</b>. The clock started when you got the task.
task-again = You got this task on { $issued }; the deadline does not restart.
task-file = The task file follows in the next message.
task-btn-submit = 📤 Submit my answer
task-btn-vacancy = « To the vacancy
task-unavailable = This vacancy is closed; its task is no longer given out.

consent-title = <b>Consent to the processing of personal data</b>
consent-text = To review your answer to the test task, the operator needs your consent.
    Operator: the employer, the team behind the coffee shops, the vintage shop, the vegetarian corner, the pastry workshop and the dental practice.
    Purpose: selecting candidates for the vacancy and contacting you about the outcome.
    Data: your name and messenger id, your answer to the test task (text, link or file), the dates of submission and decision.
    Actions: collection, storage, review by HR staff, deletion.
    Term: until the hiring decision and 30 days after it, unless you separately agree to stay in our talent pool.
    You can withdraw your consent at any time with /deletedata or by writing to HR; we then delete your data.
consent-question = Do you consent to the processing of this data?
consent-yes = ✅ I agree
consent-no = I do not agree
consent-declined = Without consent we cannot accept an answer, so nothing was stored. If you change your mind, press "Submit my answer" again.
consent-accepted = Thank you, your consent is saved.

answer-prompt = Send your answer to the task "{ $title }" in one message: a text, a link, a document (PDF, Word, Excel, PowerPoint, OpenDocument, an image or an archive, up to 20 MB) or a photo.
answer-cancel = Cancel
answer-cancelled = Sending the answer was cancelled.
answer-too-big = The file is larger than 20 MB, which we cannot accept. Compress it, or upload it to a cloud drive and send the link.
answer-bad-type = We do not accept this type of file. PDF, Office or OpenDocument files, images and archives (zip, rar, 7z) are fine, and so is a link.
answer-unsupported = This kind of message cannot be attached to an answer. Send a text, a link, a document or a photo.
answer-empty = The answer is empty. Write a text, or send a link or a file.
answer-too-long = The text is longer than 4000 characters. Shorten it or send it as a document.
answer-decided = A decision has already been made on this application; no new answer is needed.
answer-not-yours = This application is not yours.

receipt-title = ✅ <b>Answer received.</b> Application No. { $number }, { $time }.
receipt-late = ⚠️ The deadline has passed, so the answer is marked late. You can ask for an extension.
receipt-replace = Until HR reviews it, you can send a new answer: it replaces the previous one (the history is kept).
receipt-btn-mine = 📄 My applications

mine-title = <b>My applications</b>
mine-empty = You have no applications yet. Open a vacancy and get its test task.
mine-line = No. { $number } · { $title } — { $status }
status-issued = task received, waiting for your answer
status-submitted = answer sent, under review
status-late = answer sent after the deadline, under review
status-accepted = accepted ✅
status-rejected = rejected
mine-btn-open = No. { $number }: { $title }

application-title = <b>Application No. { $number }: { $title }</b>
application-status = Status: { $status }
application-issued = Task received: { $time }
application-deadline = Deadline: { $time }
application-submitted = Answer sent: { $time }
application-answers = Answers sent: { $count }
application-comment = HR's comment: { $comment }
application-extension-requested = You asked for an extension; waiting for HR.
application-extension-granted = The deadline was extended.
application-extension-refused = The extension was refused.
application-btn-submit = 📤 Submit my answer
application-btn-replace = 📤 Replace my answer
application-btn-extension = ⏳ Ask for an extension
application-btn-task = 📝 The task
application-btn-mine = « My applications
extension-sent = Your extension request was sent to HR.
extension-unavailable = An extension cannot be requested now.

reminder = ⏰ Reminder: the deadline for the test task "{ $title }" is tomorrow, { $deadline }. We have no answer yet.

question-from-hr = ❓ <b>A question from HR</b> about application No. { $number } ({ $title }):
    { $question }
question-btn-reply = ✏️ Reply
question-reply-prompt = Write your reply to HR's question in one message.
question-reply-sent = Your reply was passed to HR. Thank you!
