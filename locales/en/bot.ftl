# Lähiapu – texts of the Matrix bot (commands, help, notices).
# The program fills in the variables { $x }; do not translate their names.

## Commands and help

help-intro = I am Lähiapu, a bot that finds low-threshold help near you: for example with debts, exhaustion, mental health, violence, divorce and substance use. Write your question in your own words and tell me where you live.
help-privacy-public = This room is public: do not share your name, address, health details or other personal details. You can also write to me in a private message.
help-privacy-direct = This is a private conversation. I do not pass your messages on without your permission.
help-commands = Commands: !help (this help), !lang fi|sv|en|auto (reply language), !place Tampere (your place in this room).
help-crisis = If a life is in danger, call 112 at once.
lang-set = I will answer you in English in this room.
lang-current = I answer in the language you write in. Change it: !lang en, !lang fi or !lang sv.
lang-auto-hint = Write !lang auto and I will answer in the language you write in again.
lang-auto-set = All right: I will answer in the language you write in again.
lang-unknown = I do not know that language. The choices are fi, sv, en and auto.
place-set = All right: I will look for help for you in { $place }.
place-current = Your place in this room: { $place }.
place-none = I do not know where you live yet. Say it in your question or write for example !place Tampere.
place-unknown = I did not recognise that place. Write the municipality's name, for example !place Tampere.

## Notices

flood-notice = Many questions came at once. I will answer again in a moment. If a life is in danger, call 112.
undecryptable-notice = I could not read your message (it came encrypted in a way I cannot open). Could you send it again?
cancel-nothing = You have no open chat with the volunteers. If you would like to talk to a person, write !human.

## Maintenance

admin-only = This command is for the bot's admins only.
reload-started = I am reading the knowledge base again; the result will come here.
reload-done = Knowledge base read again: { $services } services ({ $seconds } s).
reload-broken = The knowledge base has errors, so I keep answering from the previous one. To fix:
reload-more = …and { $n } more (lahiapu check shows them all).
reload-fixed = The knowledge base is fine again: { $services } services in use.
status-line = Status: { $services } services, { $categories } categories; Voikko { $voikko }; version { $version }; up { $uptime }; open cases { $cases }.
status-last-reload = Last knowledge reload { $when }: { $result }.
status-never-reloaded = The knowledge base has not been read again since the start.
status-on = on
status-off = off
status-ok = succeeded
status-broken = errors
gaps-summary = The week's summary: { $unanswered } questions without a confident answer, { $down } 👎 and { $up } 👍 on answers. The most common gaps:
