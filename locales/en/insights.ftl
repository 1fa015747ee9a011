## Insights for HR: the dashboard, charts, exports, the audit log.

cmd-stats = statistics and the funnel
cmd-export = export CSV files
cmd-audit = the admins' audit log
admin-btn-stats = 📊 Statistics
admin-btn-export = 📥 CSV export
admin-btn-audit = 📜 Audit log

stats-title = <b>Statistics</b>
stats-users = <b>Users:</b> { $total } ({ $platforms }); candidates { $candidates }, employees { $employees }, admins { $admins }; new this week { $new }; blocked the bot { $blocked }.
stats-funnel-title = <b>Funnel by vacancy</b> (views → tasks → answers → accepted)
stats-funnel-line = • { $title }: { $views } → { $issued } ({ $r1 }%) → { $submitted } ({ $r2 }%) → { $accepted } ({ $r3 }%)
stats-sources-title = <b>Candidates by source</b> (views, tasks, answers, accepted / rejected)
stats-source-line = • { $source }: { $views }, { $issued }, { $submitted }, { $accepted } / { $rejected }
stats-advocacy = <b>Advocacy:</b> employees { $employees }; shares { $shares } (this month { $month }); candidates referred { $referred }.
stats-top = Top by shares: { $names }
stats-broadcasts = <b>Broadcasts:</b> { $count }; delivered { $sent }, blocked { $blocked }, failed { $failed }.
stats-none = no data yet
stats-more = …and { $count } more
chart-funnel = Funnel: all vacancies
chart-stage-views = Views
chart-stage-issued = Tasks
chart-stage-submitted = Answers
chart-stage-accepted = Accepted
chart-sources = Candidates by source
chart-sources-axis = vacancy views
chart-days = Applications per day (30 days)
chart-days-issued = tasks issued
chart-days-submitted = answers received
export-caption-applications = Applications: status, source, referrer, dates.
export-caption-funnel = The funnel by vacancy.
csv-applications-header = Application,Vacancy,Status,Late,Source,Referrer,Task issued,Answer received,Decision
csv-funnel-header = Vacancy id,Vacancy,Status,Views,Tasks,Answers,Accepted,View→task %,Task→answer %,Answer→accepted %
audit-title = <b>Audit log</b> (last { $count })
audit-line = { $time } · { $actor } · { $action } { $target } { $details }
audit-empty = No entries yet.
