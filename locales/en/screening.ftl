## Questions before the test task.

screening-title = <b>{ $title }</b>: a couple of questions before the task
screening-intro = Please answer a few short questions — this way you will not spend time on the task if the vacancy does not suit you.
screening-progress = Question { $number } of { $total }
screening-question = { $text }
screening-btn-back = « Back
screening-passed = Thank you! Here is the task.
screening-knocked-out = Thank you for your answers and your interest in “{ $title }”!
screening-reason = Unfortunately we cannot go on right now: { $reason }
screening-knocked-out-retry = You can apply for this vacancy again in { $days } days — after { $date }.
screening-knocked-out-offer = Have a look at our other vacancies or subscribe to new ones — the next one may suit you perfectly.
screening-retry-later = You have already answered the questions for “{ $title }”. You can apply for it again { $days } days after your answers — after { $date }. Meanwhile, have a look at our other vacancies or subscribe to new ones.
screening-btn-other = 🔎 Other vacancies
screening-btn-subscribe = 🔔 Subscribe to new ones

## A vacancy's questions in the admin's editor.

va-sq-btn-card = ❓ Questions before the task ({ $count })
va-sq-title = <b>Questions before the task</b>: “{ $title }”
va-sq-count = Questions: { $count } of { $max }. They are asked one by one before the test task is issued.
va-sq-empty = No questions yet: the task is issued right away.
va-sq-item = <b>{ $number }. { $text }</b>
va-sq-pass = ✅ { $label }
va-sq-knock = ⛔ { $label } — { $reason }
va-sq-btn-add = ➕ Add a question
va-sq-btn-delete = 🗑 { $number }
va-sq-btn-back = « To the vacancy
va-sq-btn-cancel = ✖️ Cancel
va-sq-max = The vacancy already has { $max } questions, the most it can have. Delete one to add another.
va-sq-ask-text = <b>New question</b> (step 1 of 3)
    Write the question — up to { $max } characters. For example: “Are you ready to work under a labour contract?”
va-sq-ask-options = <b>Question:</b> { $text }

    <b>Answers</b> (step 2 of 3): { $min } to { $max } answers, one a line, each up to { $label } characters.
    An answer that passes is just its text: <code>Yes</code>
    One that knocks out has a polite reason after a bar: <code>No | we hire under a labour contract only</code>
    Or choose “yes / no” with a button.
va-sq-btn-yes-passes = “{ $yes }” ✅ · “{ $no }” ⛔
va-sq-btn-no-passes = “{ $yes }” ⛔ · “{ $no }” ✅
va-sq-yes = Yes
va-sq-no = No
va-sq-ask-reason = <b>Question:</b> { $text }

    <b>The reason</b> (step 3 of 3): what should we politely tell those who answer “{ $label }”? Up to { $max } characters.
va-sq-preview = <b>The candidate will see the question like this:</b>

    { $text }
va-sq-preview-hint = Save the question?
va-sq-btn-save = 💾 Save
va-sq-saved = Question added
va-sq-deleted = Question deleted
va-sq-ask-delete = Delete question { $number } “{ $text }”? Candidates who have answered keep their answers.
va-sq-btn-delete-yes = 🗑 Yes, delete
va-sq-use-buttons = Please choose with a button.
va-sq-problems = ⚠️ This will not work:
va-sq-err-empty-text = • the question text is empty
va-sq-err-long-text = • the question is longer than { $max } characters
va-sq-err-options-count = • { $min } to { $max } answers are needed (there are { $count })
va-sq-err-same-labels = • two answers are the same
va-sq-err-empty-label = • an answer has no text
va-sq-err-long-label = • the answer “{ $label }…” is longer than { $max } characters (a button would cut it)
va-sq-err-reason-needed = • the answer “{ $label }” knocks out: add a polite reason after a bar
va-sq-err-long-reason = • the reason of “{ $label }” is longer than { $max } characters
va-sq-err-none-passes = • at least one answer must pass
screening-changed = The questions for this vacancy have changed. Let's start them again.
