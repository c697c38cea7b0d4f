"""Time as Chinese schools and teachers write it, shared by plan reading and chat.

Organised as model time parsers are (duckling's rules over dimensions, jionlp's
partial time points resolved against a base):

- `lexicon`: the words, as data — numerals, weekdays, parts of a month, relative days;
- `recurrence`: a duty's rhythm as a value (`Recurrence`), with its storage code;
- `resolve`: partial dates (a month, a day without its year, a part of a month)
  made whole against an anchor: the school year of a plan, or today in chat.

The rules that find expressions in text live with their readers (`bot.plan.timewords`
for plans, `bot.understanding.spans` for chat) and produce partial times that both
resolve here, so a word that works in a plan works in chat too.
"""
