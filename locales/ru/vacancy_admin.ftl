## Управление вакансиями для администраторов: список, карточка с воронкой, создание и правка,
## ссылки размещений.

cmd-vacancy-admin = управление вакансиями
va-admin-entry = 💼 Вакансии

va-list-title = <b>Все вакансии</b> ({ $total })
va-list-legend = 🟢 открыта · 📝 черновик · ⛔ закрыта
va-list-line = { $mark } <b>{ $title }</b> — { $project }, { $place }
va-list-empty = Вакансий пока нет. Создайте первую кнопкой ниже или загрузите файл командой <code>python -m bot import-vacancies</code>.
va-page = Страница { $page } из { $pages }
va-btn-prev = ‹ Назад
va-btn-next = Дальше ›
va-btn-new = ➕ Новая вакансия
va-btn-admin = « Панель администратора
va-btn-list = « К списку вакансий
va-btn-card = « К вакансии

va-mark-draft = 📝
va-mark-open = 🟢
va-mark-closed = ⛔
va-status-draft = черновик
va-status-open = открыта
va-status-closed = закрыта
va-status-line = Статус: { $mark } <b>{ $status }</b>
va-published-at = Впервые опубликована: { $date }

va-task-text-title = <b>Текст тестового задания</b>
va-task-file = Файл тестового задания: <code>{ $name }</code>

va-funnel-title = <b>Воронка по источникам</b>
    просмотры → выдано заданий → сдано → принято
va-funnel-line = • <code>{ $source }</code>: { $views } → { $issued } ({ $issued_rate }) → { $submitted } ({ $submitted_rate }) → { $accepted } ({ $accepted_rate })
va-funnel-total = <b>Всего:</b> { $views } → { $issued } ({ $issued_rate }) → { $submitted } ({ $submitted_rate }) → { $accepted } ({ $accepted_rate })
va-funnel-empty = Вакансию пока никто не открывал, воронка пуста.
va-rate = { $percent }%
va-rate-none = —

va-btn-edit = ✏️ Изменить
va-btn-publish = 🚀 Опубликовать
va-btn-close = ⛔ Закрыть
va-btn-reopen = 🟢 Открыть снова
va-btn-placements = 🔗 Ссылки размещений
va-toast-same = У вакансии уже этот статус
va-toast-published = Вакансия опубликована
va-toast-reopened = Вакансия снова открыта
va-toast-closed = Вакансия закрыта: в списке для кандидатов её больше нет

va-new-title = <b>Новая вакансия</b>
va-edit-title = <b>Правка вакансии «{ $title }»</b>
va-step = Шаг { $step } из { $total }
va-current = Сейчас: { $value }
va-current-empty = Сейчас: не заполнено
va-yes = да
va-no = нет

va-field-title = Название
va-field-project = Проект
va-field-city = Город
va-field-remote = Удалённо
va-field-employment = Условия
va-field-requirements = Требования
va-field-duties = Обязанности
va-field-not-fit = Кому не подойдёт
va-field-offer = Что предлагаем
va-field-contacts = Контакты
va-field-hashtags = Хештеги
va-field-task-text = Тестовое задание
va-field-deadline-days = Срок задания

va-ask-title = Напишите название вакансии — от { $min } до { $max } символов.
va-ask-project = Выберите проект кнопкой ниже.
va-ask-city = Напишите город (до { $max } символов) или нажмите «Только удалённо», если офиса нет.
va-ask-remote = Можно ли работать удалённо?
va-ask-employment = Опишите условия: оформление, график, часы работы (до { $max } символов).
va-ask-requirements = Что требуется от кандидата? До { $max } символов.
va-ask-duties = Чем предстоит заниматься? До { $max } символов.
va-ask-not-fit = Кому вакансия не подойдёт? До { $max } символов. Этот пункт можно пропустить.
va-ask-offer = Что компания предлагает? До { $max } символов.
va-ask-contacts = Контакты для вопросов кандидатов, до { $max } символов.
va-ask-hashtags = Хештеги через пробел или запятую, знак # можно не ставить (не больше { $count }). Этот пункт можно пропустить.
va-ask-task-text = Текст тестового задания, до { $max } символов. Приложить файл в этом диалоге нельзя: файл задания указывается в файле импорта (<code>python -m bot import-vacancies</code>).
va-ask-task-text-with-file = Текст тестового задания, до { $max } символов. К заданию уже приложен файл <code>{ $name }</code> — он сохранится, поэтому текст можно пропустить. Заменить файл можно только через файл импорта.
va-ask-deadline-days = Сколько дней будет у кандидата на задание? Напишите число от { $min } до { $max }.

va-btn-skip = Пропустить ›
va-btn-cancel = ✖ Отмена
va-btn-remote-only = 🏠 Только удалённо
va-btn-yes = Да
va-btn-no = Нет
va-btn-fields = « К списку полей

va-err-empty = Ответ пустой. Пожалуйста, напишите текст.
va-err-too-long = Слишком длинно: { $length } символов при пределе { $limit }. Пожалуйста, сократите текст.
va-err-too-short = Слишком коротко: нужно хотя бы { $minimum } символа.
va-err-project = Пожалуйста, выберите проект кнопкой — так не будет опечаток.
va-err-remote = Пожалуйста, ответьте кнопкой «Да» или «Нет».
va-err-no-place = У вакансии должен быть город или удалённая работа. Укажите город в поле «Город» или ответьте «Да».
va-err-no-place-short = Нужен город или удалённая работа
va-err-hashtag = «{ $tag }» не подходит как хештег: используйте от 1 до 40 букв, цифр или «_».
va-err-hashtags-many = Хештегов { $count }, а можно не больше { $max }. Пожалуйста, оставьте самые важные.
va-err-days = Нужно целое число дней от { $min } до { $max }, например 7.
va-err-text-only = Здесь нужен текст. Файлы в этом диалоге не принимаются — файл задания можно указать в файле импорта.
va-err-missing = Чтобы сохранить вакансию, заполните это поле.
va-err-missing-short = Не все поля заполнены
va-hint-use-buttons = Пожалуйста, выберите поле кнопкой ниже или откройте предпросмотр.

va-fields-title = Что изменить? Выберите поле — остальные останутся как есть.
va-btn-preview = 👁 Предпросмотр

va-preview-title = <b>Предпросмотр.</b> Так вакансию увидят кандидаты:
va-preview-question = Всё верно?
va-btn-save-open = 🚀 Опубликовать
va-btn-save-draft = 📝 Сохранить черновик
va-btn-save-keep = 💾 Сохранить, статус не менять
va-btn-edit-field = ✏️ Изменить поле

va-cancelled = Отменено: изменения не сохранены.
va-cancelled-short = Отменено
va-saved-open = ✅ Вакансия сохранена и опубликована.
va-saved-draft = ✅ Черновик сохранён. Кандидаты его не видят.
va-saved-closed = ✅ Изменения сохранены, вакансия по-прежнему закрыта.
va-saved-notices = Подписчики на похожие вакансии получат уведомление.

va-pl-title = <b>Ссылки размещений: { $title }</b>
va-pl-intro = У каждой площадки своя ссылка: кто пришёл по ней, попадает в воронку под именем источника.
va-pl-empty = Ссылок пока нет.
va-pl-item = • <code>{ $source }</code>
va-pl-link-tg = Telegram: <code>{ $link }</code>
va-pl-link-vk = ВКонтакте: <code>{ $link }</code>
va-pl-link-web = Веб-чат: <code>{ $link }</code>
va-pl-no-links = ссылка появится, когда бот подключится к мессенджеру
va-btn-pl-new = ➕ Новая ссылка
va-pl-ask = Где будет опубликована вакансия «{ $title }»? Напишите имя источника латиницей, например <code>hh_ru</code> или <code>vk_kazan_jobs</code>: буквы, цифры, «_» и «-», до 32 символов.
va-pl-bad = «{ $source }» не подходит: можно только латинские буквы, цифры, «_» и «-», до 32 символов.
va-pl-created = ✅ Ссылка для «{ $source }» готова.
va-pl-exists = Источник «{ $source }» уже был — вот его ссылки.
