## Собеседования: приглашение, запись, подтверждение, напоминания, итоги; слоты для HR.

cmd-interviews = Собеседования
iv-adm-entry = 🗓 Собеседования

iv-weekday-0 = пн
iv-weekday-1 = вт
iv-weekday-2 = ср
iv-weekday-3 = чт
iv-weekday-4 = пт
iv-weekday-5 = сб
iv-weekday-6 = вс
iv-format-short-office = офис
iv-format-short-video = видео
iv-format-short-phone = телефон
iv-format-office = Где: в офисе, { $place }
iv-format-video = Где: видеозвонок, ссылка: { $place }
iv-format-phone = Где: по телефону — мы позвоним вам сами
iv-line-vacancy = Вакансия: { $title }
iv-line-when = Когда: { $time }
iv-line-duration = Длительность: { $minutes } мин
iv-line-interviewer = Проводит: { $name }
iv-minutes = { $minutes } мин
iv-all-vacancies = Все вакансии

iv-invitation = 🤝 <b>Приглашаем на собеседование</b> по вакансии «{ $title }» (отклик № { $number }).
iv-new-times = 🗓 <b>Появилось время для собеседования</b> по вакансии «{ $title }» (отклик № { $number }).
iv-choose = Выберите удобное время (время московское) — достаточно одного нажатия:
iv-no-slots = Свободного времени сейчас нет. Как только HR опубликует новое, бот пришлёт его сюда. Если удобнее другое время, нажмите «Попросить другое время».
iv-page = Страница { $page } из { $pages }
iv-btn-prev = ‹ Раньше
iv-btn-next = Позже ›
iv-btn-other-time = 🕑 Попросить другое время
iv-taken = Это время только что занял другой кандидат. Посмотрите, что осталось.
iv-taken-head = Увы, это время уже занято. Вот что ещё свободно по вакансии «{ $title }»:
iv-already = У вас уже есть запись — её можно перенести.
iv-problem-not-invited = Приглашение на собеседование больше не действует.
iv-problem-closed = По этому отклику собеседование уже прошло.
iv-problem-too-late = Отменить запись можно не позже чем за 2 часа до начала.
iv-problem-taken = Это время уже недоступно.
iv-problem-already = У вас уже есть запись — её можно перенести.

iv-booked-title = ✅ <b>Вы записаны на собеседование</b>
iv-past-title = <b>Собеседование</b>
iv-booked-toast = Готово, вы записаны!
iv-confirmed = 👍 Вы подтвердили, что придёте.
iv-confirmed-toast = Спасибо! Ждём вас.
iv-btn-ok = 👍 Я приду
iv-btn-reschedule = 🔁 Перенести
iv-btn-cancel = ✖️ Отменить
iv-cancel-closed = До начала меньше 2 часов — отменить запись уже нельзя. Если что-то случилось, перенесите её или напишите нам.
iv-not-active = Эта запись уже неактуальна.
iv-reschedule-head = Сейчас вы записаны на { $time }. Выберите новое время — старое освободится.
iv-moved-toast = Готово, запись перенесена.
iv-cancel-question = Отменить запись на { $time }?
iv-btn-cancel-yes = Да, отменить
iv-btn-cancel-no = Нет, оставить
iv-cancelled = Запись отменена. Если захотите, выберите другое время — приглашение остаётся в силе.
iv-btn-choose-again = Выбрать другое время
iv-btn-open = Открыть

iv-ics-caption = Файл для календаря: откройте его, чтобы добавить собеседование в Google Календарь, Outlook или Календарь Apple.
iv-ics-summary = Собеседование: { $title }
iv-ics-phone = Телефонный звонок

iv-remind-24 = ⏰ Напоминаем: собеседование завтра.
iv-remind-2 = ⏰ Собеседование через 2 часа.

iv-note-prompt = Напишите, в какие дни и часы вам удобно, — мы передадим HR, и вам предложат новое время.
iv-note-empty = Напишите, пожалуйста, когда вам удобно.
iv-note-long = Слишком длинно: уложитесь, пожалуйста, в { $limit } символов.
iv-note-sent = Спасибо! Мы передали ваше пожелание HR — новое время пришлём сюда.
iv-btn-note-cancel = « Назад к выбору времени

iv-stage-booked = Собеседование: { $time }
iv-stage-invited = Вас пригласили на собеседование — выберите время.
iv-stage-came = Собеседование состоялось.
iv-stage-no_show = Собеседование не состоялось.
iv-stage-offer = Вам сделали предложение о работе.
iv-stage-hired = Вы приняты на работу.
iv-stage-rejected = По итогам собеседования — отказ.
iv-btn-my-interview = 🗓 Моё собеседование
iv-btn-choose = 🗓 Выбрать время собеседования

iv-no-show = Похоже, у вас не получилось прийти на собеседование по вакансии «{ $title }» (отклик № { $number }). Бывает! Можно один раз записаться на другое время.
iv-slot-dropped = К сожалению, нам пришлось отменить время вашего собеседования по вакансии «{ $title }» (отклик № { $number }). Простите за неудобство — выберите, пожалуйста, другое.
iv-told-came = Спасибо, что пришли на собеседование по вакансии «{ $title }»! Мы скоро вернёмся с ответом.
iv-told-no_show = Собеседование по вакансии «{ $title }» не состоялось.
iv-told-offer = 🎉 Хорошие новости: по вакансии «{ $title }» мы готовы сделать вам предложение! HR свяжется с вами и расскажет детали.
iv-told-hired = 🎉 Поздравляем — вы в команде! Добро пожаловать: «{ $title }».
iv-told-rejected = Спасибо за время и интерес к вакансии «{ $title }». В этот раз мы выбрали другого кандидата. Нам было приятно познакомиться — будем рады видеть ваши отклики на другие вакансии.

## HR
hr-iv-btn-invite = 🗓 Пригласить на собеседование
hr-iv-btn-send-again = Отправить приглашение снова
hr-iv-invited = Приглашение на собеседование по отклику № { $number } отправлено.
hr-iv-invite-failed = Не удалось отправить приглашение по отклику № { $number }: кандидат недоступен.
hr-iv-no-slots = Свободных слотов сейчас нет — опубликуйте их, и бот сразу пришлёт кандидату время.
hr-iv-booked = 🗓 <b>Запись на собеседование</b> — отклик № { $number }
hr-iv-moved = 🔁 <b>Кандидат перенёс собеседование</b> — отклик № { $number }
hr-iv-cancelled = ✖️ <b>Кандидат отменил собеседование</b> — отклик № { $number }
hr-iv-note = 🕑 <b>Кандидат просит другое время</b> — отклик № { $number }
hr-iv-note-text = Пожелание:
    { $text }
hr-screening-title = Ответы на вопросы перед заданием:
hr-screening-line = • { $question } — { $answer }

## Панель собеседований
iv-adm-title = 🗓 <b>Собеседования</b>
iv-adm-today = <b>Сегодня</b>
iv-adm-upcoming = <b>Ближайшие</b>
iv-adm-none = — нет
iv-adm-line = • { $time } — { $name }, «{ $title }»
iv-adm-waiting = Ждут итога: { $count }. Нажмите, чтобы отметить.
iv-adm-btn-publish = ➕ Опубликовать слоты
iv-adm-btn-slots = 📋 Слоты
iv-adm-btn-upcoming = 🗓 Все записи
iv-adm-btn-back = « Админ-панель
iv-adm-btn-back-panel = « Собеседования
iv-adm-card = <b>Собеседование</b> — отклик № { $number }, { $name }
iv-adm-status-booked = Статус: записан
iv-adm-status-moved = Статус: перенесено
iv-adm-status-cancelled = Статус: отменено кандидатом
iv-adm-status-dropped = Статус: слот отменён
iv-adm-status-done = Статус: итог отмечен
iv-adm-outcome = Итог: { $outcome }
iv-adm-comment = Комментарий: { $comment }
iv-adm-outcome-later = Итог можно отметить, когда наступит время собеседования.
iv-adm-comment-prompt = Итог: { $outcome }. Напишите комментарий для кандидата (он его увидит) или нажмите «Без комментария».
iv-adm-outcome-saved = Готово: { $outcome }. Кандидат получил сообщение.
iv-outcome-came = пришёл
iv-outcome-no_show = не пришёл
iv-outcome-offer = предложение
iv-outcome-hired = принят на работу
iv-outcome-rejected = отказ
iv-outcome-btn-came = ✅ Пришёл
iv-outcome-btn-no_show = 🚫 Не пришёл
iv-outcome-btn-offer = 🤝 Предложение
iv-outcome-btn-hired = 🎉 Принят
iv-outcome-btn-rejected = ❌ Отказ

iv-slots-title = <b>Слоты собеседований</b> впереди: { $total }. ✅ — занят.
iv-slots-none = Опубликованных слотов впереди нет.
iv-slot-title = <b>Слот собеседования</b>
iv-slot-booked = Записано: { $booked } из { $capacity }
iv-slot-cancelled = Этот слот отменён.
iv-slot-btn-cancel = ✖️ Отменить слот
iv-slot-cancelled-toast = Слот отменён. Кандидатов, которым предложено другое время: { $count }.

## Публикация слотов
iv-pub-vacancy = Для какой вакансии время? Можно сразу для всех.
iv-pub-format = Как пройдёт собеседование?
iv-pub-format-office = 🏢 В офисе
iv-pub-format-video = 💻 Видеозвонок
iv-pub-format-phone = 📞 По телефону
iv-pub-place-office = Напишите адрес офиса — его увидят кандидаты.
iv-pub-place-video = Пришлите ссылку на видеозвонок (https://…).
iv-pub-bad-place-office = Адрес должен быть от 3 до 300 символов.
iv-pub-bad-place-video = Нужна ссылка, которая начинается с https:// или http://.
iv-pub-bad-place-phone = Слишком длинно.
iv-pub-interviewer = Кто проводит собеседование? Напишите имя — его увидят кандидаты.
iv-pub-bad-interviewer = Имя — от 1 до { $limit } символов.
iv-pub-duration = Сколько длится собеседование? Выберите или напишите число минут (от { $low } до { $high }).
iv-pub-bad-duration = Нужно число минут от { $low } до { $high }.
iv-pub-times = Напишите день и время по Москве, например:
    <code>03.12 10:00 11:30 15:00</code>
    Можно несколько дней — каждый с новой строки.
iv-pub-times-empty = Напишите день и время, например: 03.12 10:00 11:30
iv-pub-times-bad-date = Не понял дату. Пишите так: 03.12 (или 03.12.2026), затем время через пробел.
iv-pub-times-bad-time = Не понял время. Пишите часы и минуты: 10:00 11:30
iv-pub-times-no-times = После даты нужно хотя бы одно время: 03.12 10:00
iv-pub-times-too-many = За раз можно опубликовать до 20 слотов.
iv-pub-times-too-far = Так далеко вперёд нельзя: не больше чем на полгода.
iv-pub-preview = <b>Проверьте слоты</b> (время московское):
iv-pub-ok = ✅ { $time }
iv-pub-refused-past = ⛔ { $time } — это время уже прошло
iv-pub-refused-overlap = ⛔ { $time } — у того же интервьюера уже есть слот { $clash }
iv-pub-refused-overlap-here = ⛔ { $time } — пересекается с другим временем из этого списка
iv-pub-again = Чтобы изменить список, просто пришлите время заново.
iv-pub-btn-publish = Опубликовать ({ $count })
iv-pub-btn-cancel = Отмена
iv-pub-done = Опубликовано слотов: { $count }. { $refused ->
        [0] {""}
       *[other] Не опубликовано (время прошло или пересекается): { $refused }.
    }
iv-pub-waiting = Ждали свободного времени: { $count } { $count ->
        [one] кандидат
        [few] кандидата
       *[many] кандидатов
    } — бот уже отправляет им новое время.
iv-pub-cancelled = Публикация отменена, ничего не сохранено.
iv-pub-use-buttons = Пожалуйста, выберите вариант кнопкой.

## Воронка: этапы вокруг задания
stats-funnel-interviews =   ↳ вопросы: прошли { $screened_in }, отсеяны { $screened_out }; собеседование: записались { $booked } → пришли { $attended } → предложение { $offer } → приняты { $hired }
chart-stage-screened_in = Прошли вопросы
chart-stage-screened_out = Отсеяны вопросами
chart-stage-booked = Записались
chart-stage-attended = Пришли
chart-stage-offer = Предложение
chart-stage-hired = Приняты
csv-funnel-header-interviews = Прошли вопросы,Отсеяны вопросами,Записались на собеседование,Пришли,Предложение,Приняты на работу
csv-applications-header-interviews = Вопросы,Собеседование (UTC),Итог собеседования,Пришёл,Предложение,Принят на работу

## Рейтинг сотрудников: приведённые кандидаты и их наймы.

leaderboard-row-referral-points = { $place }. { $name } — { $points } балл(ов): кандидатов { $candidates }, откликов { $applications }, наймов { $hires }
leaderboard-referral-legend = Баллы: { $candidate } за приведённого кандидата, { $application } за его отклик и { $hire } за найм — найм ценнее всего.
