# Närhjälp – förmedling till frivilliga (invånarens och de frivilligas texter).
# Programmet fyller i variablerna { $x }; översätt inte deras namn.

## Till invånaren

esc-moved-to-dm = Vi fortsätter privat: jag skickade en inbjudan till ett privat samtal. Om du hellre vill fortsätta i den här offentliga tråden, där andra också ser meddelandena, svara här: här
esc-consent-who = Jag kan förmedla ditt meddelande till utbildade frivilliga ({ $orgs }).
esc-consent-what = De ser bara de meddelanden du skriver härefter, under namnet Invånare { $case } – inte ditt namn eller ditt Matrix-ID.
esc-consent-on-duty = De frivilliga finns på plats nu.
esc-consent-back = De frivilliga finns på plats igen { $when }.
esc-consent-any-time = De frivilliga svarar så snart de kan.
esc-consent-question = Ska jag förmedla ditt meddelande? Svara ja eller nej (eller reagera med ✅ eller ❌).
esc-consent-public = Obs: den här tråden är offentlig, och de frivilligas svar syns här för alla.
esc-consent-yes = Tack. Skriv nu ditt meddelande till de frivilliga så förmedlar jag det. Du kan sluta när du vill genom att skriva !avbryt.
esc-consent-no = Okej, jag förmedlar ingenting. Du kan fråga mig mer, eller be om en människa senare genom att skriva !människa.
esc-case-opened = Ditt meddelande har förmedlats till de frivilliga. De svarar i det här samtalet. Om ett liv är i fara, ring 112.
esc-relay-to-resident = En frivillig svarar: { $text }
esc-service-intro = En frivillig skickade dig uppgifterna om den här tjänsten:
esc-closed = Ärendet är avslutat. Om du vill fråga igen, skriv !människa eller fråga mig.
esc-cancelled = Jag slutade förmedla: de frivilliga får inte längre dina meddelanden. Du kan börja om genom att skriva !människa.
esc-already-open = Du har redan ett öppet samtal med de frivilliga. Skriv ditt meddelande där så förmedlar jag det.
esc-offer = Om du vill att en människa svarar dig, skriv !människa.
esc-unavailable = Här finns inga frivilliga som svarar.
esc-dm-failed = Jag kunde inte öppna ett privat samtal. Om du vill fortsätta i den här offentliga tråden, svara: här

## Till de frivilliga

esc-resident = Invånare { $case }
esc-root = Ärende #{ $case } · { $lang } · { $place } · { $state }
esc-place-unknown = orten okänd
esc-state-open = öppet
esc-state-claimed = taget ({ $who })
esc-state-closed = avslutat
esc-relay-to-volunteers = { $resident }: { $text }
esc-hint = Svara på ärendena i deras trådar; ditt meddelande förmedlas till invånaren. Kommandon i tråden: !tar, !anteckning (förmedlas inte), !tjänst ID, !stäng. Överallt: !ärenden.
esc-not-volunteer = Jag förmedlar bara de frivilligas meddelanden till invånarna.
esc-not-a-case = Den här tråden är inget ärende. Svara i ärendets tråd.
esc-case-ended = Ärendet är avslutat, och meddelandet förmedlades inte.
esc-reminder = Ärende #{ $case } väntar på svar ({ $minutes } min).
esc-cases-heading = Öppna ärenden:
esc-cases-line = #{ $case } · { $lang } · { $place } · { $state } · { $age }
esc-cases-none = Inga öppna ärenden.
esc-age-minutes = { $n } min
esc-age-hours = { $n } h
esc-age-days = { $n } d
esc-closed-ack = Ärende #{ $case } avslutat, och invånaren har fått veta det.
esc-service-unknown = Jag hittar ingen tjänst { $id }. ID:n är filnamnen i mappen knowledge/services.
esc-service-sent = Jag skickade tjänsten { $id } till invånaren.
esc-warn-public = Varning till administratörerna: de frivilligas rum är offentligt. Gör det till ett rum med inbjudan så att invånarnas meddelanden stannar hos de frivilliga.
esc-warn-unencrypted = Varning till administratörerna: de frivilligas rum är inte krypterat. Slå på krypteringen.
