"""`python -m bench` (or `python3 dev.py bench`): run every benchmark and print its figures."""
from bench import chat_callbacks, plan_import

print("== plan import ==")
plan_import.main()
chat_callbacks.main()
