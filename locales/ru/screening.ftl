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
