"""hr-bot: a Telegram + VK chatbot for hiring and employer branding."""
