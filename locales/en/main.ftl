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
badge-referral = referral needed
badge-anywhere = open to people from anywhere
in-finnish = (in Finnish)
in-swedish = (in Swedish)
channel-phone = Phone { $number }
channel-chat = Chat
channel-web = Online
channel-visit = Visiting address
channel-walk-in = walk-in
channel-email = E-mail
channel-web-only = Web page only, no phone or address is known
channel-none = No contact details are published.

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


## For professionals: every service (lahiapu list, !palvelut)

list-heading = { $category }: every service for { $place }, nearest first
list-empty = I found no services ({ $category }) for { $place }.
