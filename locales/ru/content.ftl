## Контент для сотрудников: библиотека, тексты для публикации, рейтинг, запросы, правила.

menu-content = 📣 Контент для соцсетей
cmd-content = контент для ваших соцсетей
cmd-join = вступить по коду приглашения

category-announcements = Новости команды
category-products = Новинки проектов
category-expertise = Экспертиза
category-recruiting = Вакансии и найм
category-culture = Культура и команда

content-title = <b>Контент для ваших соцсетей</b>
    Готовые посты о наших проектах. Выберите рубрику, возьмите текст и опубликуйте от себя — своими словами тоже можно.
content-category-line = { $name }: { $count }
content-category-button = { $name } ({ $count })
content-btn-leaderboard = 🏆 Рейтинг
content-btn-request = ✍️ Запросить контент
content-btn-my-requests = 📋 Мои запросы
content-btn-guidelines = 📘 Правила
content-no-access = Этот раздел — для сотрудников. Чтобы получить доступ, попросите у HR приглашение: ссылку для Telegram или код для ВКонтакте (его нужно отправить командой /join КОД).
content-empty = В этой рубрике пока нет актуальных постов.
content-list-title = <b>{ $category }</b> — постов: { $total }
content-page = Страница { $page } из { $pages }
content-btn-prev = ‹ Назад
content-btn-next = Дальше ›
content-btn-categories = « Рубрики
content-post-gone = Этот пост больше недоступен.

post-title = <b>{ $title }</b>
post-category = Рубрика: { $category }
post-variants = Вариантов текста: { $count }
post-referral = В текст добавится ваша личная ссылка на вакансию: кандидаты, пришедшие по ней, засчитаются вам.
post-btn-text = 📄 Получить текст
post-btn-another = 🔄 Другой вариант
post-btn-share-tg = Поделиться в Telegram
post-btn-share-vk = Поделиться во ВКонтакте
post-btn-posted = ✅ Я опубликовал(а)
post-btn-back = « К списку
post-text-intro = Скопируйте текст ниже и опубликуйте у себя:
posted-prompt = Спасибо! Пришлите ссылку на вашу публикацию — или нажмите «Без ссылки».
posted-no-link = Без ссылки
posted-thanks = Засчитано: +{ $points } балл(ов). Спасибо, что рассказываете о нас!
posted-capped = Публикация записана. Баллы за сегодня уже набраны — приходите завтра!
posted-bad-link = Это не похоже на ссылку. Пришлите адрес, начинающийся с http, или нажмите «Без ссылки».

leaderboard-title = <b>Рейтинг — { $period }, { $kind }</b>
leaderboard-month = этот месяц
leaderboard-all = всё время
leaderboard-shares = публикации
leaderboard-referrals = приведённые кандидаты
leaderboard-row-shares = { $place }. { $name } — { $points } балл(ов), публикаций: { $shares }
leaderboard-empty = Пока никого — станьте первым!
leaderboard-you = Вы на { $place }-м месте.
leaderboard-you-none = Вас пока нет в этом рейтинге.
leaderboard-cap = Баллы: 1 за публикацию, не больше { $cap } в день.
leaderboard-btn-month = Этот месяц
leaderboard-btn-all = Всё время
leaderboard-btn-shares = Публикации
leaderboard-btn-referrals = Кандидаты

guidelines-text = <b>Правила для соцсетей</b>
    • Делитесь тем, что вам самим интересно: новостями проектов, вакансиями, историями команды.
    • Говорите от первого лица и давайте понять, что это ваше личное мнение, а не официальная позиция компании.
    • Не публикуйте внутреннюю информацию: цифры, планы, данные гостей и пациентов, фото из служебных помещений без согласования.
    • Не спорьте с недовольными клиентами в комментариях — передайте вопрос HR или управляющему.
    • Будьте вежливы, исправляйте ошибки открыто.
    • Меняйте текст под себя: одинаковые посты у всех соцсети показывают хуже.
    • Компания никогда не просит ваши пароли и логины от соцсетей.

request-prompt = Опишите, какой контент нужен: тема, площадка (Telegram, ВКонтакте…), к какому сроку. Одним сообщением.
request-sent = Запрос № { $number } отправлен. Мы сообщим, когда его возьмут в работу.
request-too-long = Слишком длинно: уложитесь в 1500 символов.
request-empty = Опишите запрос текстом.
requests-title = <b>Мои запросы контента</b>
requests-empty = Запросов пока нет.
request-line = № { $number } · { $status } — { $text }
request-status-new = новый
request-status-taken = в работе
request-status-fulfilled = готов
request-status-declined = отклонён
request-reason = причина: { $reason }
request-taken-notice = ✍️ Ваш запрос контента № { $number } взят в работу.
request-fulfilled-notice = ✅ Ваш запрос контента № { $number } выполнен — вот пост:
request-declined-notice = Запрос контента № { $number } отклонён. Причина: { $reason }
