# Lähiapu – hand-over to volunteers (texts for the resident and the volunteers).
# The program fills in the variables { $x }; do not translate their names.

## To the resident

esc-moved-to-dm = Let us continue in private: I sent you an invitation to a private chat. If you would rather go on in this public thread, where others can read the messages too, reply here: here
esc-consent-who = I can pass your message on to trained volunteers ({ $orgs }).
esc-consent-what = They will see only the messages you write from now on, under the name Resident { $case } – not your name or your Matrix ID.
esc-consent-on-duty = The volunteers are on duty now.
esc-consent-back = The volunteers are on duty again { $when }.
esc-consent-any-time = The volunteers answer as soon as they can.
esc-consent-question = Shall I pass your message on? Answer yes or no (or react with ✅ or ❌).
esc-consent-public = Note: this thread is public, and the volunteers' answers will be visible here to everyone.
esc-consent-yes = Thank you. Write your message to the volunteers now and I will pass it on. You can stop at any time by writing !cancel.
esc-consent-no = All right, I will pass nothing on. You can ask me more, or ask for a person later by writing !human.
esc-case-opened = Your message has been passed on to the volunteers. They will answer in this chat. If a life is in danger, call 112.
esc-relay-to-resident = A volunteer answers: { $text }
esc-service-intro = A volunteer sent you the details of this service:
esc-closed = The case is closed. If you want to ask again, write !human or ask me.
esc-cancelled = I stopped passing your messages on: the volunteers will no longer get them. You can start again by writing !human.
esc-already-open = You already have an open chat with the volunteers. Write your message there and I will pass it on.
esc-offer = If you would like a person to answer you, write !human.
esc-unavailable = No volunteers answer here.
esc-dm-failed = I could not open a private chat. If you want to go on in this public thread, reply: here

## To the volunteers

esc-resident = Resident { $case }
esc-root = Case #{ $case } · { $lang } · { $place } · { $state }
esc-place-unknown = place unknown
esc-state-open = open
esc-state-claimed = taken ({ $who })
esc-state-closed = closed
esc-relay-to-volunteers = { $resident }: { $text }
esc-hint = Answer the cases in their threads; your message goes to the resident. Commands in a thread: !claim, !note (not passed on), !service ID, !close. Anywhere: !cases.
esc-not-volunteer = I pass only the volunteers' messages on to residents.
esc-not-a-case = This thread is not a case. Answer in the case's thread.
esc-case-ended = The case is closed, and the message was not passed on.
esc-reminder = Case #{ $case } is waiting for an answer ({ $minutes } min).
esc-cases-heading = Open cases:
esc-cases-line = #{ $case } · { $lang } · { $place } · { $state } · { $age }
esc-cases-none = No open cases.
esc-age-minutes = { $n } min
esc-age-hours = { $n } h
esc-age-days = { $n } d
esc-closed-ack = Case #{ $case } is closed, and the resident was told.
esc-service-unknown = I cannot find the service { $id }. The ids are the file names in the folder knowledge/services.
esc-service-sent = I sent the service { $id } to the resident.
esc-warn-public = A warning to the admins: the volunteers' room is public. Make it invite-only, so that residents' messages stay with the volunteers.
esc-warn-unencrypted = A warning to the admins: the volunteers' room is not encrypted. Turn encryption on.
