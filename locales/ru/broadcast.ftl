## Рассылки: составление, получатели, предпросмотр, запуск и расписание, ход отправки, отчёты.

cmd-broadcast = новая рассылка
cmd-broadcasts = рассылки: список, отчёты, отмена
admin-btn-broadcasts = 📣 Рассылки

bc-compose-prompt = <b>Новая рассылка</b>
    Пришлите сообщение, которое получат люди: текст, или фото / документ с подписью.
    Оформление Telegram работает: &lt;b&gt;жирный&lt;/b&gt;, &lt;i&gt;курсив&lt;/i&gt;, &lt;a href="https://…"&gt;ссылка&lt;/a&gt;. ВКонтакте получит тот же текст без оформления.
bc-btn-cancel = ✖ Отменить
bc-problem-empty = В сообщении нет текста. Пришлите текст, фото или документ.
bc-problem-too-long = Текст длиннее 4096 символов: столько не поместится в одно сообщение Telegram. Сократите его.
bc-problem-caption-too-long = Подпись к фото или документу длиннее 1024 символов. Сократите её или пришлите текст без файла.
bc-problem-unsupported = Такое вложение разослать нельзя. Пришлите текст, фото или документ.
bc-problem-file-too-big = Файл больше 20 МБ: его не получится передать в другой мессенджер. Пришлите файл поменьше.

bc-buttons-prompt = Добавить кнопки-ссылки? Пришлите строки вида
    <code>Название - https://example.com</code>
    по одной кнопке на строку (не больше { $max }), или нажмите «Без кнопок».
bc-btn-skip = Без кнопок ›
bc-buttons-format = Строка { $line }: нужен вид «Название - https://ссылка».
bc-buttons-label = Строка { $line }: название кнопки — от 1 до { $max } символов.
bc-buttons-url = Строка { $line }: ссылка должна начинаться с http:// или https://.
bc-buttons-too-many = Кнопок можно не больше { $max }.

bc-audience-title = <b>Кому отправить рассылку #{ $id }</b>
bc-audience-who = Получатели: { $who }
bc-audience-platform = Мессенджер: { $platform }
bc-audience-locale = Язык: { $language }
bc-audience-size = Сейчас это <b>{ $count }</b> чел. Тех, кто заблокировал бота, не считаем.
bc-who-all = все пользователи
bc-who-candidates = кандидаты
bc-who-employees = сотрудники
bc-who-project = подписчики проекта «{ $project }»
bc-who-tag = подписчики хештега #{ $tag }
bc-platform-tg = Telegram
bc-platform-vk = VK
bc-platform-web = веб-чат
bc-locale-any = любой
bc-locale-ru = русский
bc-locale-en = английский
bc-btn-all = Все
bc-btn-candidates = Кандидаты
bc-btn-employees = Сотрудники
bc-btn-project = Подписчики проекта
bc-btn-tag = Подписчики хештега
bc-btn-platform = Мессенджер: { $platform }
bc-btn-locale = Язык: { $language }
bc-btn-preview = Предпросмотр ›
bc-btn-back = ‹ Назад
bc-project-choose = Подписчикам какого проекта отправить рассылку?
bc-tag-prompt = Напишите хештег (без #), подписчикам которого отправить рассылку.
bc-tag-popular = Популярные: { $tags }
bc-tag-bad = Хештег — одно слово из букв, цифр, «_» и «-». Попробуйте ещё раз.

bc-preview-above = ⬆ Так сообщение увидят получатели.
bc-preview-failed = ⚠ Предпросмотр отправить не удалось. Проверьте сообщение или попробуйте ещё раз.
bc-preview-summary = Рассылка #{ $id }: { $audience }. Получателей сейчас: <b>{ $count }</b>.
bc-btn-test = 📨 Тестовая копия мне
bc-btn-send-now = 🚀 Отправить сейчас
bc-btn-schedule = 🕒 Запланировать
bc-btn-audience = 👥 Получатели
bc-test-sent = Копия отправлена.
bc-test-failed = Копию отправить не удалось.
bc-confirm-now = Отправить рассылку #{ $id } сейчас? Получателей: <b>{ $count }</b> ({ $audience }).
bc-btn-confirm-now = ✅ Да, отправить
bc-nobody = Под эти условия сейчас никто не подходит: выберите других получателей.
bc-started = 🚀 Рассылка #{ $id } запущена: { $count } получателей. Ход отправки — в следующем сообщении.
bc-when-prompt = Когда отправить? Напишите дату и время по Москве, например <code>{ $example }</code>.
bc-when-format = Не получилось понять дату. Нужен вид <code>ДД.ММ.ГГГГ ЧЧ:ММ</code>, например <code>{ $example }</code>.
bc-when-past = Это время уже прошло. Укажите момент в будущем.
bc-when-too-far = Запланировать можно не дальше чем на год вперёд.
bc-confirm-schedule = Запланировать рассылку #{ $id } на { $when }?
    Сейчас под условия подходят <b>{ $count }</b> чел. ({ $audience }); список получателей составится в момент отправки.
bc-btn-confirm-schedule = ✅ Запланировать
bc-scheduled = 🕒 Рассылка #{ $id } запланирована на { $when }. Посмотреть или отменить: /broadcasts
bc-aborted = Рассылка отменена, ничего не отправлено.
bc-draft-gone = Этот черновик уже неактуален. Начните заново: /broadcast

bc-list-title = <b>Рассылки</b> ({ $total })
bc-list-empty = Рассылок пока не было.
bc-list-line = #{ $id } · { $status } · { $when } · { $sent } из { $total }
bc-list-button = #{ $id } · { $status }
bc-list-page = Страница { $page } из { $pages }
bc-btn-new = ➕ Новая рассылка
bc-btn-prev = ‹ Назад
bc-btn-next = Дальше ›
bc-status-draft = черновик
bc-status-scheduled = 🕒 запланирована
bc-status-running = ⏳ идёт
bc-status-done = ✅ завершена
bc-status-cancelled = ✖ отменена

bc-report-title = <b>Рассылка #{ $id }</b> — { $status }
bc-report-audience = Получатели: { $audience }
bc-report-content = Сообщение: { $text }
bc-report-media-photo = 📷 фото
bc-report-media-document = 📎 документ
bc-report-buttons = кнопок: { $count }
bc-report-created = Создана: { $when }
bc-report-scheduled = Запланирована на: { $when }
bc-report-started = Начата: { $when }
bc-report-finished = Закончена: { $when }
bc-report-errors = Частые ошибки: { $errors }
bc-count-total = Получателей: { $count }
bc-count-sent = Доставлено: { $count }
bc-count-blocked = Заблокировали бота: { $count }
bc-count-failed = Не доставлено из-за ошибки: { $count }
bc-count-unknown = Неизвестно (ответ не пришёл, повторно не отправляли): { $count }
bc-count-pending = Ещё не отправлено: { $count }
bc-count-web-note = В веб-чате «доставлено» значит «сохранено в чате»: посетитель увидит сообщение, когда откроет чат.
bc-btn-refresh = 🔄 Обновить
bc-btn-cancel-broadcast = ✖ Отменить рассылку
bc-btn-copy = 📨 Копия мне
bc-btn-list = ‹ К списку
bc-btn-report = 📊 Отчёт
bc-cancel-confirm = Отменить рассылку #{ $id }? Уже доставленные сообщения останутся у получателей.
bc-btn-cancel-yes = Да, отменить
bc-btn-cancel-no = Нет
bc-cancelled = Рассылка #{ $id } отменена.
bc-cancel-too-late = Рассылка #{ $id } уже закончена: отменять нечего.

bc-progress-title = 📣 <b>Рассылка #{ $id }</b> — { $status }
bc-progress-preparing = Составляю список получателей…
bc-progress-done = Отправлено: { $done } из { $total } ({ $percent }%)
bc-progress-detail = доставлено { $sent } · заблокировали { $blocked } · ошибки { $failed } · неизвестно { $unknown }
bc-progress-rate = Скорость: { $rate } в секунду · осталось примерно { $eta }
bc-progress-stopping = Останавливаю отправку…
bc-report-done = ✅ Рассылка #{ $id } завершена за { $duration }.
bc-report-cancelled = ✖ Рассылка #{ $id } отменена.
