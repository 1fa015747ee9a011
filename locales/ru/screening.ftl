## Вопросы перед тестовым заданием.

screening-title = <b>{ $title }</b>: пара вопросов перед заданием
screening-intro = Ответьте, пожалуйста, на несколько коротких вопросов — так вы не потратите время на задание, если вакансия вам не подойдёт.
screening-progress = Вопрос { $number } из { $total }
screening-question = { $text }
screening-btn-back = « Назад
screening-passed = Спасибо! Вот задание.
screening-knocked-out = Спасибо за ответы и интерес к вакансии «{ $title }»!
screening-reason = К сожалению, сейчас мы не сможем продолжить: { $reason }
screening-knocked-out-retry = Снова откликнуться на эту вакансию можно через { $days } дней — после { $date }.
screening-knocked-out-offer = Загляните в другие наши вакансии или подпишитесь на новые — возможно, следующая подойдёт идеально.
screening-retry-later = Вы уже отвечали на вопросы по вакансии «{ $title }». Снова откликнуться на неё можно через { $days } дней после ответа — после { $date }. А пока посмотрите другие вакансии или подпишитесь на новые.
screening-btn-other = 🔎 Другие вакансии
screening-btn-subscribe = 🔔 Подписаться на новые

## Вопросы вакансии в редакторе администратора.

va-sq-btn-card = ❓ Вопросы перед заданием ({ $count })
va-sq-title = <b>Вопросы перед заданием</b>: «{ $title }»
va-sq-count = Вопросов: { $count } из { $max }. Их задают по очереди перед выдачей тестового задания.
va-sq-empty = Вопросов пока нет: задание выдаётся сразу.
va-sq-item = <b>{ $number }. { $text }</b>
va-sq-pass = ✅ { $label }
va-sq-knock = ⛔ { $label } — { $reason }
va-sq-btn-add = ➕ Добавить вопрос
va-sq-btn-delete = 🗑 { $number }
va-sq-btn-back = « К вакансии
va-sq-btn-cancel = ✖️ Отмена
va-sq-max = У вакансии уже { $max } вопросов — это максимум. Удалите один, чтобы добавить новый.
va-sq-ask-text = <b>Новый вопрос</b> (шаг 1 из 3)
    Напишите текст вопроса — до { $max } символов. Например: «Готовы работать по трудовому договору?»
va-sq-ask-options = <b>Вопрос:</b> { $text }

    <b>Варианты ответа</b> (шаг 2 из 3): от { $min } до { $max } вариантов, по одному в строке, каждый до { $label } символов.
    Проходящий ответ — просто текст: <code>Да</code>
    Отсеивающий — с вежливой причиной после черты: <code>Нет | мы оформляем только по трудовому договору</code>
    Или выберите «да / нет» кнопкой.
va-sq-btn-yes-passes = «{ $yes }» ✅ · «{ $no }» ⛔
va-sq-btn-no-passes = «{ $yes }» ⛔ · «{ $no }» ✅
va-sq-yes = Да
va-sq-no = Нет
va-sq-ask-reason = <b>Вопрос:</b> { $text }

    <b>Причина отказа</b> (шаг 3 из 3): что вежливо ответить тем, кто выберет «{ $label }»? До { $max } символов.
va-sq-preview = <b>Так кандидат увидит вопрос:</b>

    { $text }
va-sq-preview-hint = Сохранить вопрос?
va-sq-btn-save = 💾 Сохранить
va-sq-saved = Вопрос добавлен
va-sq-deleted = Вопрос удалён
va-sq-ask-delete = Удалить вопрос { $number } «{ $text }»? Кандидаты, которые уже ответили, сохранят свои ответы.
va-sq-btn-delete-yes = 🗑 Да, удалить
va-sq-use-buttons = Выберите действие кнопкой.
va-sq-problems = ⚠️ Так не получится:
va-sq-err-empty-text = • текст вопроса пустой
va-sq-err-long-text = • вопрос длиннее { $max } символов
va-sq-err-options-count = • нужно от { $min } до { $max } вариантов ответа (сейчас { $count })
va-sq-err-same-labels = • два варианта ответа совпадают
va-sq-err-empty-label = • у варианта ответа нет текста
va-sq-err-long-label = • вариант «{ $label }…» длиннее { $max } символов (так его обрежет кнопка)
va-sq-err-reason-needed = • вариант «{ $label }» отсеивает — добавьте после черты вежливую причину
va-sq-err-long-reason = • причина у варианта «{ $label }» длиннее { $max } символов
va-sq-err-none-passes = • хотя бы один ответ должен проходить
screening-changed = Вопросы к этой вакансии изменились. Давайте начнём их заново.
