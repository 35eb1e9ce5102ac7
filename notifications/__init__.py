"""SMS and voice through Twilio, message templates in Russian and Kazakh, receipts and opt-out."""
