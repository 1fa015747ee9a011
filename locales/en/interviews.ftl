## Interviews: invitation, booking, confirmation, reminders, outcomes; slots for HR.

cmd-interviews = Interviews
iv-adm-entry = 🗓 Interviews

iv-weekday-0 = Mon
iv-weekday-1 = Tue
iv-weekday-2 = Wed
iv-weekday-3 = Thu
iv-weekday-4 = Fri
iv-weekday-5 = Sat
iv-weekday-6 = Sun
iv-format-short-office = office
iv-format-short-video = video
iv-format-short-phone = phone
iv-format-office = Where: at the office, { $place }
iv-format-video = Where: video call, link: { $place }
iv-format-phone = Where: by phone — we will call you
iv-line-vacancy = Vacancy: { $title }
iv-line-when = When: { $time }
iv-line-duration = Duration: { $minutes } min
iv-line-interviewer = Interviewer: { $name }
iv-minutes = { $minutes } min
iv-all-vacancies = All vacancies

iv-invitation = 🤝 <b>You are invited to an interview</b> for “{ $title }” (application No. { $number }).
iv-new-times = 🗓 <b>New interview times are available</b> for “{ $title }” (application No. { $number }).
iv-choose = Pick a time that suits you (Moscow time) — one tap is enough:
iv-no-slots = There are no free times right now. As soon as HR publishes new ones, the bot will send them here. If another time suits you better, press “Ask for another time”.
iv-page = Page { $page } of { $pages }
iv-btn-prev = ‹ Earlier
iv-btn-next = Later ›
iv-btn-other-time = 🕑 Ask for another time
iv-taken = Another candidate has just taken this time. Here is what is left.
iv-taken-head = Sorry, that time is taken. These times are still free for “{ $title }”:
iv-already = You already have a booking — you can reschedule it.
iv-problem-not-invited = This interview invitation is no longer valid.
iv-problem-closed = The interview for this application has already taken place.
iv-problem-too-late = A booking can be cancelled until 2 hours before it starts.
iv-problem-taken = This time is no longer available.
iv-problem-already = You already have a booking — you can reschedule it.

iv-booked-title = ✅ <b>You are booked for an interview</b>
iv-past-title = <b>Interview</b>
iv-booked-toast = Done, you are booked!
iv-confirmed = 👍 You confirmed that you will come.
iv-confirmed-toast = Thank you! See you there.
iv-btn-ok = 👍 I'll be there
iv-btn-reschedule = 🔁 Reschedule
iv-btn-cancel = ✖️ Cancel
iv-cancel-closed = It starts in less than 2 hours, so the booking can no longer be cancelled. If something came up, reschedule it or write to us.
iv-not-active = This booking is no longer current.
iv-reschedule-head = You are booked for { $time }. Pick a new time — the old one will be freed.
iv-moved-toast = Done, your booking has been moved.
iv-cancel-question = Cancel your booking for { $time }?
iv-btn-cancel-yes = Yes, cancel
iv-btn-cancel-no = No, keep it
iv-cancelled = Your booking is cancelled. You can pick another time whenever you like — the invitation still stands.
iv-btn-choose-again = Pick another time
iv-btn-open = Open

iv-ics-caption = A calendar file: open it to add the interview to Google Calendar, Outlook or Apple Calendar.
iv-ics-summary = Interview: { $title }
iv-ics-phone = Phone call

iv-remind-24 = ⏰ A reminder: your interview is tomorrow.
iv-remind-2 = ⏰ Your interview starts in 2 hours.

iv-note-prompt = Write which days and hours suit you — we will pass it on to HR and you will be offered a new time.
iv-note-empty = Please write when it suits you.
iv-note-long = That is too long: please keep it within { $limit } characters.
iv-note-sent = Thank you! We passed your wish on to HR — the new time will come here.
iv-btn-note-cancel = « Back to the times

iv-stage-booked = Interview: { $time }
iv-stage-invited = You are invited to an interview — pick a time.
iv-stage-came = The interview took place.
iv-stage-no_show = The interview did not take place.
iv-stage-offer = You have a job offer.
iv-stage-hired = You are hired.
iv-stage-rejected = After the interview: not this time.
iv-btn-my-interview = 🗓 My interview
iv-btn-choose = 🗓 Pick an interview time

iv-no-show = It looks like you could not make it to the interview for “{ $title }” (application No. { $number }). It happens! You can book another time once.
iv-slot-dropped = Unfortunately we had to cancel the time of your interview for “{ $title }” (application No. { $number }). Sorry for the trouble — please pick another one.
iv-told-came = Thank you for coming to the interview for “{ $title }”! We will be back with an answer soon.
iv-told-no_show = The interview for “{ $title }” did not take place.
iv-told-offer = 🎉 Good news: we would like to make you an offer for “{ $title }”! HR will contact you with the details.
iv-told-hired = 🎉 Congratulations — you are on the team! Welcome aboard: “{ $title }”.
iv-told-rejected = Thank you for your time and interest in “{ $title }”. This time we chose another candidate. It was a pleasure to meet you — we would be glad to see you apply for our other vacancies.

## HR
hr-iv-btn-invite = 🗓 Invite to interview
hr-iv-btn-send-again = Send the invitation again
hr-iv-invited = The interview invitation for application No. { $number } has been sent.
hr-iv-invite-failed = Could not send the invitation for application No. { $number }: the candidate cannot be reached.
hr-iv-no-slots = There are no free slots right now — publish some and the bot will send the candidate the times at once.
hr-iv-booked = 🗓 <b>Interview booked</b> — application No. { $number }
hr-iv-moved = 🔁 <b>The candidate rescheduled the interview</b> — application No. { $number }
hr-iv-cancelled = ✖️ <b>The candidate cancelled the interview</b> — application No. { $number }
hr-iv-note = 🕑 <b>The candidate asks for another time</b> — application No. { $number }
hr-iv-note-text = Their wish:
    { $text }
hr-screening-title = Answers to the questions before the task:
hr-screening-line = • { $question } — { $answer }

## The interviews panel
iv-adm-title = 🗓 <b>Interviews</b>
iv-adm-today = <b>Today</b>
iv-adm-upcoming = <b>Upcoming</b>
iv-adm-none = — none
iv-adm-line = • { $time } — { $name }, “{ $title }”
iv-adm-waiting = Waiting for an outcome: { $count }. Tap one to record it.
iv-adm-btn-publish = ➕ Publish slots
iv-adm-btn-slots = 📋 Slots
iv-adm-btn-upcoming = 🗓 All bookings
iv-adm-btn-back = « Admin panel
iv-adm-btn-back-panel = « Interviews
iv-adm-card = <b>Interview</b> — application No. { $number }, { $name }
iv-adm-status-booked = Status: booked
iv-adm-status-moved = Status: rescheduled
iv-adm-status-cancelled = Status: cancelled by the candidate
iv-adm-status-dropped = Status: the slot was cancelled
iv-adm-status-done = Status: outcome recorded
iv-adm-outcome = Outcome: { $outcome }
iv-adm-comment = Comment: { $comment }
iv-adm-outcome-later = The outcome can be recorded once the interview time has come.
iv-adm-comment-prompt = Outcome: { $outcome }. Write a comment for the candidate (they will see it) or press “No comment”.
iv-adm-outcome-saved = Done: { $outcome }. The candidate has been told.
iv-outcome-came = came
iv-outcome-no_show = did not come
iv-outcome-offer = offer
iv-outcome-hired = hired
iv-outcome-rejected = rejected
iv-outcome-btn-came = ✅ Came
iv-outcome-btn-no_show = 🚫 Did not come
iv-outcome-btn-offer = 🤝 Offer
iv-outcome-btn-hired = 🎉 Hired
iv-outcome-btn-rejected = ❌ Rejected

iv-slots-title = <b>Interview slots</b> ahead: { $total }. ✅ — booked.
iv-slots-none = There are no published slots ahead.
iv-slot-title = <b>Interview slot</b>
iv-slot-booked = Booked: { $booked } of { $capacity }
iv-slot-cancelled = This slot is cancelled.
iv-slot-btn-cancel = ✖️ Cancel the slot
iv-slot-cancelled-toast = The slot is cancelled. Candidates offered another time: { $count }.

## Publishing slots
iv-pub-vacancy = Which vacancy are the times for? You can choose all at once.
iv-pub-format = How will the interview take place?
iv-pub-format-office = 🏢 At the office
iv-pub-format-video = 💻 Video call
iv-pub-format-phone = 📞 By phone
iv-pub-place-office = Write the office address — candidates will see it.
iv-pub-place-video = Send the video call link (https://…).
iv-pub-bad-place-office = The address must be 3 to 300 characters long.
iv-pub-bad-place-video = A link starting with https:// or http:// is needed.
iv-pub-bad-place-phone = That is too long.
iv-pub-interviewer = Who conducts the interview? Write the name — candidates will see it.
iv-pub-bad-interviewer = The name must be 1 to { $limit } characters long.
iv-pub-duration = How long is the interview? Choose or type the minutes ({ $low } to { $high }).
iv-pub-bad-duration = A number of minutes from { $low } to { $high } is needed.
iv-pub-times = Write the day and the times in Moscow time, for example:
    <code>03.12 10:00 11:30 15:00</code>
    Several days are fine — each on a new line.
iv-pub-times-empty = Write a day and times, for example: 03.12 10:00 11:30
iv-pub-times-bad-date = I did not understand the date. Write it like 03.12 (or 03.12.2026), then the times.
iv-pub-times-bad-time = I did not understand a time. Write hours and minutes: 10:00 11:30
iv-pub-times-no-times = At least one time is needed after the date: 03.12 10:00
iv-pub-times-too-many = Up to 20 slots can be published at once.
iv-pub-times-too-far = That is too far ahead: half a year at most.
iv-pub-preview = <b>Check the slots</b> (Moscow time):
iv-pub-ok = ✅ { $time }
iv-pub-refused-past = ⛔ { $time } — this time has passed
iv-pub-refused-overlap = ⛔ { $time } — the same interviewer already has a slot at { $clash }
iv-pub-refused-overlap-here = ⛔ { $time } — overlaps another time in this list
iv-pub-again = To change the list, just send the times again.
iv-pub-btn-publish = Publish ({ $count })
iv-pub-btn-cancel = Cancel
iv-pub-done = Slots published: { $count }. { $refused ->
        [0] {""}
       *[other] Not published (the time passed or overlaps): { $refused }.
    }
iv-pub-waiting = { $count ->
        [one] One candidate was
       *[other] { $count } candidates were
    } waiting for a free time — the bot is sending them the new times now.
iv-pub-cancelled = Publishing cancelled, nothing was saved.
iv-pub-use-buttons = Please choose an option with a button.

## The funnel: stages around the task
stats-funnel-interviews =   ↳ questions: passed { $screened_in }, screened out { $screened_out }; interview: booked { $booked } → attended { $attended } → offer { $offer } → hired { $hired }
chart-stage-screened_in = Screened in
chart-stage-screened_out = Screened out
chart-stage-booked = Booked
chart-stage-attended = Attended
chart-stage-offer = Offer
chart-stage-hired = Hired
csv-funnel-header-interviews = Screened in,Screened out,Interview booked,Attended,Offer,Hired
csv-applications-header-interviews = Screening,Interview at (UTC),Interview outcome,Attended,Offer,Hired

## The employees' leaderboard: referred candidates and their hires.

leaderboard-row-referral-points = { $place }. { $name }: { $points } points — candidates { $candidates }, applications { $applications }, hires { $hires }
leaderboard-referral-legend = Points: { $candidate } for a referred candidate, { $application } for their application and { $hire } for a hire, which counts most.
