## Рассмотрение ответов HR: уведомления, решения, вопросы, продления.

hr-new-answer = 📥 <b>Новый ответ на тестовое задание</b> — отклик № { $number }
hr-replaced-answer = 🔁 <b>Кандидат заменил ответ</b> — отклик № { $number }
hr-late = ⚠️ Прислан после срока ({ $deadline })
hr-candidate = Кандидат: { $candidate }
hr-vacancy = Вакансия: { $title }
hr-source = Источник: { $source }
hr-time = Время: { $time }
hr-answer-text = Ответ:
    { $text }
hr-answer-file = Ответ — файл «{ $name }» (в сообщении выше).
hr-answer-photo = Ответ — фото (в сообщении выше).
hr-btn-accept = ✅ Принять
hr-btn-reject = ❌ Отклонить
hr-btn-ask = ❓ Задать вопрос
hr-platform-tg = Telegram
hr-platform-vk = ВКонтакте
hr-platform-web = веб-чат

hr-comment-prompt = Отклик № { $number }: { $decision }. Напишите комментарий для кандидата (он его увидит) или нажмите «Без комментария».
hr-decision-accept = принять
hr-decision-reject = отклонить
hr-btn-no-comment = Без комментария
hr-btn-cancel = Отмена
hr-cancelled = Действие отменено, решение не принято.
hr-decided = Готово: отклик № { $number } { $decision }. Кандидат получил уведомление.
hr-decided-accepted = принят
hr-decided-rejected = отклонён
hr-already-decided = По отклику № { $number } уже решено: { $decision }, { $reviewer }, { $time }.
hr-not-submitted = По этому отклику ещё нет ответа — решать пока нечего.
hr-open-private = Откройте бота в личных сообщениях, чтобы добавить комментарий. Решение принято без комментария.

hr-ask-prompt = Напишите вопрос кандидату по отклику № { $number }. Он придёт кандидату от имени HR.
hr-question-sent = Вопрос отправлен кандидату.
hr-question-failed = Не удалось доставить вопрос: кандидат закрыл сообщения от бота.
hr-reply = 💬 <b>Ответ кандидата</b> по отклику № { $number } ({ $candidate }):
    { $text }

hr-extension-request = ⏳ <b>Просьба о продлении</b> — отклик № { $number }
hr-btn-grant = ✅ Продлить на { $days } дн.
hr-btn-refuse = Отказать
hr-extension-granted = Срок по отклику № { $number } продлён до { $deadline }.
hr-extension-refused = В продлении по отклику № { $number } отказано.
hr-extension-handled = Эта просьба уже рассмотрена.

candidate-accepted = 🎉 Ваш ответ на тестовое задание «{ $title }» (отклик № { $number }) принят! HR скоро свяжется с вами.
candidate-rejected = Спасибо за ответ на тестовое задание «{ $title }» (отклик № { $number }). К сожалению, сейчас мы не готовы продолжить.
candidate-comment = Комментарий HR: { $comment }
candidate-extension-granted = ⏳ Срок тестового задания «{ $title }» продлён до { $deadline }.
candidate-extension-refused = К сожалению, продлить срок задания «{ $title }» не получилось. Ответ по-прежнему можно прислать — он будет отмечен как поздний.
