## Personal data: the notice, export, erasure, the talent pool.

cmd-privacy = how we handle your data
cmd-mydata = download my data
cmd-deletedata = delete my data
privacy-notice = <b>How we handle your data</b>
    <b>Operator:</b> the employer, the team behind the coffee shops, the vintage shop, the vegetarian corner, the pastry workshop and the dental practice.
    <b>Purposes:</b> running the bot (menu, language, checklist), selecting candidates for vacancies and contacting them about the outcome, the employee advocacy programme, broadcasts.
    <b>Data kept:</b> your name and messenger id, language, checklist ticks, applications and test-task answers (text, link, file), consents, subscriptions, employees' shares.
    <b>Terms:</b> application data is deleted { $days } days after the decision unless you separately agreed to stay in the talent pool; the rest while you use the bot or until you ask.
    <b>Your rights:</b> to know what we keep (/mydata: a machine-readable file), to have it erased and withdraw consent (/deletedata), to contact HR. We answer requests within 10 working days; the bot does them at once.
    The bot never asks for social-network passwords or logins.
mydata-caption = Your data as JSON: profile, consents, applications with answer details, checklist, subscriptions, shares.
mydata-failed = The file could not be sent. Please try again a little later.
deletedata-confirm = <b>Delete all your data?</b>
    We will delete your profile, applications and test-task answers, checklist ticks, subscriptions and shares, and withdraw your consents. Only anonymous counters for statistics and the fact of erasure remain. This cannot be undone.
deletedata-yes = Yes, delete everything
deletedata-no = No, keep it
deletedata-done = Done: your data is deleted and your consents withdrawn. If you write to the bot again, it will greet you as a new user.
deletedata-kept = All right, nothing was deleted.
pool-offer = 📂 Stay in the talent pool
pool-consent = <b>Consent to join the talent pool</b>
    We will keep your application and test-task answer after the decision, to offer you a suitable job later. Term: 1 year; withdraw with /deletedata.
    Do you agree?
pool-yes = ✅ I agree
pool-no = No, thank you
pool-saved = Thank you! You are in our talent pool.
pool-declined = All right. The application data will be deleted in the usual term.
