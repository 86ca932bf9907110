# Lähiapu – English texts.
# The program fills in the variables { $x }; do not translate their names.

## Crisis: the start of a reply when a message signals a risk to life.

crisis-emergency = If a life is in danger right now, call the emergency number 112 at once.
crisis-violence = If someone is threatening you now, get to safety if you can and call 112.
crisis-lines = You can also call:
crisis-not-alone = You are not alone. There is more help below.

## Headings of the list

results-for-place = Help where you live, { $place }:
results-for-region = Help in { $place }:
results-national = Help anywhere in Finland:
results-ask-place = Tell me where you live and I will look for help near you too.
place-ambiguous = There is a { $name } in several municipalities ({ $place }). Tell me which municipality you live in and I will look for help near you.
results-none-near = I found no service of { $place }'s own; here are the nearest ones and those for all of Finland.

## Lines of a service

scope-local = { $place }
scope-regional = your welfare region
scope-national = all of Finland
scope-elsewhere = { $place }
scope-elsewhere-km = { $place }, about { $km } km
badge-free = free
badge-anonymous = anonymous
badge-no-referral = no referral
badge-walk-in = walk in without an appointment
in-finnish = (in Finnish)
in-swedish = (in Swedish)
channel-phone = Phone { $number }
channel-chat = Chat
channel-web = Online
channel-visit = Visiting address
channel-walk-in = walk-in

## Opening hours (Finnish time)

status-always = always open
status-open = open now
status-open-until = open now, closes at { $time }
status-opens = closed now, opens { $when }
status-closed = closed now
when-today = at { $time }
when-tomorrow = tomorrow at { $time }
when-day = on { $day } at { $time }
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday

## The end

footer = These facts come from the services' own and other public pages; check the hours before you go. If a life is in danger, call 112.
offer-human = If you would like to talk to someone now, { $name } answers around the clock: { $number }.

## When I do not understand the question

not-understood = I could not find help that fits. Tell me in your own words what help you need (for example debts, exhaustion, violence, divorce, substance use or mental health) and where you live.
not-ours = I am afraid I do not know about that: I only know low-threshold help, for example with debts, exhaustion, mental health, violence, divorce, substance use and matters of children and young people. Tell me if you need help like that.

## In the terminal (lahiapu chat)

chat-welcome = Hi! I am Lähiapu. Tell me what help you are looking for and where you live. Type /quit to stop.
chat-bye = Take care! If a life is in danger, always call 112.

## Matrix: commands and help

help-intro = I am Lähiapu, a bot that finds low-threshold help near you: for example with debts, exhaustion, mental health, violence, divorce and substance use. Write your question in your own words and tell me where you live.
help-privacy-public = This room is public: do not share your name, address, health details or other personal details. You can also write to me in a private message.
help-privacy-direct = This is a private conversation. I do not pass your messages on without your permission.
help-commands = Commands: !help (this help), !lang fi|sv|en (reply language), !place Tampere (your place in this room).
help-crisis = If a life is in danger, call 112 at once.
lang-set = I will answer you in English in this room.
lang-current = I answer in the language you write in. Change it: !lang en, !lang fi or !lang sv.
lang-unknown = I do not know that language. The choices are fi, sv and en.
place-set = All right: I will look for help for you in { $place }.
place-current = Your place in this room: { $place }.
place-none = I do not know where you live yet. Say it in your question or write for example !place Tampere.
place-unknown = I did not recognise that place. Write the municipality's name, for example !place Tampere.
flood-notice = Many questions came at once. I will answer again in a moment. If a life is in danger, call 112.
