## Аналитика для HR: дашборд, графики, выгрузки, журнал действий.

cmd-stats = статистика и воронка
cmd-export = выгрузить CSV
cmd-audit = журнал действий администраторов
admin-btn-stats = 📊 Статистика
admin-btn-export = 📥 Выгрузка CSV
admin-btn-audit = 📜 Журнал действий

stats-title = <b>Статистика</b>
stats-users = <b>Пользователи:</b> { $total } ({ $platforms }); кандидатов { $candidates }, сотрудников { $employees }, администраторов { $admins }; новых за неделю { $new }; заблокировали бота { $blocked }.
stats-funnel-title = <b>Воронка по вакансиям</b> (просмотры → задания → ответы → приняты)
stats-funnel-line = • { $title }: { $views } → { $issued } ({ $r1 }%) → { $submitted } ({ $r2 }%) → { $accepted } ({ $r3 }%)
stats-sources-title = <b>Источники кандидатов</b> (просмотры, задания, ответы, приняты / отклонены)
stats-source-line = • { $source }: { $views }, { $issued }, { $submitted }, { $accepted } / { $rejected }
stats-advocacy = <b>Амбассадоры:</b> сотрудников { $employees }; публикаций { $shares } (за месяц { $month }); приведено кандидатов { $referred }.
stats-top = Лучшие по публикациям: { $names }
stats-broadcasts = <b>Рассылки:</b> { $count }; доставлено { $sent }, заблокировали { $blocked }, ошибок { $failed }.
stats-none = пока нет данных
stats-more = …и ещё { $count }
chart-funnel = Воронка: все вакансии
chart-stage-views = Просмотры
chart-stage-issued = Задания
chart-stage-submitted = Ответы
chart-stage-accepted = Приняты
chart-sources = Кандидаты по источникам
chart-sources-axis = просмотры вакансий
chart-days = Отклики по дням (30 дней)
chart-days-issued = задания выданы
chart-days-submitted = ответы получены
export-caption-applications = Отклики: статус, источник, реферер, даты.
export-caption-funnel = Воронка по вакансиям.
csv-applications-header = № отклика,Вакансия,Статус,Поздно,Источник,Реферер,Задание выдано,Ответ получен,Решение
csv-funnel-header = № вакансии,Вакансия,Статус,Просмотры,Задания,Ответы,Приняты,Просмотр→задание %,Задание→ответ %,Ответ→принят %
audit-title = <b>Журнал действий</b> (последние { $count })
audit-line = { $time } · { $actor } · { $action } { $target } { $details }
audit-empty = Записей пока нет.
