"""`python -m bench` (or `python3 dev.py bench`): run every benchmark and print its figures."""
from bench import chat_answers, chat_callbacks, office_pages, plan_import, reminders, scale

print("== plan import ==")
plan_import.main()
chat_answers.main()
chat_callbacks.main()
reminders.main()
office_pages.main()
scale.main()
