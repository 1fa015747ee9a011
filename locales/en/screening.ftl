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
