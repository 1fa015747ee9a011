## Вакансии: список, фильтры, карточка, ссылки и подписки.

menu-vacancies = 💼 Вакансии
cmd-vacancies = открытые вакансии

project-coffee = Кофейни
project-vintage = Винтажный магазин
project-veggie = Вегетарианский корнер
project-pastry = Кондитерская мастерская
project-dental = Стоматология

vacancies-title = <b>Открытые вакансии</b> ({ $total })
vacancies-page = Страница { $page } из { $pages }
vacancies-filters-active = Фильтры: { $filters }
vacancies-filter-remote = удалённо
vacancies-filter-query = «{ $query }»
vacancies-empty = Открытых вакансий сейчас нет. Подпишитесь на новости — мы напишем, когда появятся.
vacancies-empty-filtered = По этим фильтрам ничего не нашлось. Сбросьте фильтры или попробуйте другое слово.
vacancies-line = • <b>{ $title }</b> — { $project }, { $place }
vacancies-place-remote = удалённо
vacancies-place-city-remote = { $city } или удалённо
vacancies-btn-prev = ‹ Назад
vacancies-btn-next = Дальше ›
vacancies-btn-filters = 🔎 Фильтры и поиск
vacancies-btn-reset = ✖ Сбросить фильтры
vacancies-btn-list = « К списку

filters-title = <b>Фильтры</b>
    Выберите проект, город или хештег, либо найдите вакансию по слову.
filters-current = Сейчас: { $filters }
filters-none = без фильтров
filters-all-projects = Все проекты
filters-any-city = Любой город
filters-remote = 🏠 Только удалённо
filters-search = 🔎 Поиск по слову
filters-show = Показать вакансии
filters-search-prompt = Напишите слово для поиска, например «бариста» или «маркетинг».
filters-search-empty = В сообщении нет слов для поиска. Напишите, например, «кондитер».
filters-search-cancel = Отмена

vacancy-project-place = { $project } · { $place }
vacancy-employment = <b>Условия</b>
vacancy-requirements = <b>Требования</b>
vacancy-duties = <b>Обязанности</b>
vacancy-not-fit = <b>Кому не подойдёт</b>
vacancy-offer = <b>Что мы предлагаем</b>
vacancy-task = <b>Тестовое задание</b> обязательно: на выполнение { $days } дн. после получения.
vacancy-contacts = <b>Контакты</b>
vacancy-closed = Эта вакансия закрыта: набор завершён.
vacancy-not-found = Эта вакансия больше не опубликована.
vacancy-btn-task = 📝 Получить тестовое задание
vacancy-btn-application = 📄 Моё тестовое задание
vacancy-btn-share = 🔗 Поделиться
vacancy-btn-subscribe = 🔔 Похожие вакансии

share-title = <b>Поделитесь вакансией «{ $title }»</b>
share-text = Ссылка откроет вакансию в боте:
share-btn-telegram = Отправить в Telegram
share-btn-vk = Поделиться во ВКонтакте
share-btn-back = « К вакансии

subscribe-title = <b>Уведомления о похожих вакансиях</b>
    Отметьте, о чём сообщать. Мы напишем один раз о каждой новой подходящей вакансии.
subscribe-project = { $mark } Проект: { $project }
subscribe-tag = { $mark } #{ $tag }
subscribe-on = Подписка включена
subscribe-off = Подписка выключена

notice-new-vacancy = 🔔 <b>Новая вакансия:</b> { $title }
    { $project } · { $place }
notice-btn-open = Открыть вакансию
