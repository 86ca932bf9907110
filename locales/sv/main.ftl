# Närhjälp – svenska texter.
# Variablerna { $x } fylls i av programmet; översätt inte deras namn.

## Nöd: början av svaret när ett meddelande tyder på livsfara.

crisis-emergency = Om ett liv är i fara just nu, ring genast nödnumret 112.
crisis-violence = Om någon hotar dig nu, ta dig i säkerhet om du kan och ring 112.
crisis-lines = Du kan också ringa:
crisis-not-alone = Du är inte ensam. Nedan finns också annan hjälp.

## Rubriker för listan

results-for-place = Hjälp när du bor i { $place }:
results-for-region = Hjälp i { $place }:
results-national = Hjälp i hela Finland:
results-ask-place = Berätta var du bor, så söker jag hjälp också nära dig.
place-ambiguous = Det finns { $name } på flera orter ({ $place }). Berätta i vilken kommun du bor, så söker jag hjälp nära dig.
results-none-near = Jag hittade ingen egen tjänst för { $place }; här är de närmaste och de som gäller hela Finland.

## Raderna för en tjänst

scope-local = { $place }
scope-regional = ditt välfärdsområde
scope-national = hela Finland
scope-elsewhere = { $place }
scope-elsewhere-km = { $place }, cirka { $km } km
badge-free = gratis
badge-anonymous = anonymt
badge-no-referral = ingen remiss
badge-walk-in = du kan komma utan tidsbokning
in-finnish = (på finska)
in-swedish = (på svenska)
channel-phone = Telefon { $number }
channel-chat = Chatt
channel-web = På webben
channel-visit = Besöksadress
channel-walk-in = utan tidsbokning

## Öppettider (finsk tid)

status-always = alltid öppet
status-open = öppet nu
status-open-until = öppet nu, stänger kl. { $time }
status-opens = stängt nu, öppnar { $when }
status-closed = stängt nu
when-today = kl. { $time }
when-tomorrow = i morgon kl. { $time }
when-day = på { $day } kl. { $time }
weekday-1 = måndag
weekday-2 = tisdag
weekday-3 = onsdag
weekday-4 = torsdag
weekday-5 = fredag
weekday-6 = lördag
weekday-7 = söndag

## Slutet

footer = Uppgifterna kommer från tjänsternas egna och andra offentliga sidor; kontrollera tiderna innan du går. Om ett liv är i fara, ring 112.
offer-human = Om du vill prata med någon nu svarar { $name } dygnet runt: { $number }.

## När jag inte förstår frågan

not-understood = Jag hittade ingen hjälp som passar. Berätta med egna ord vilken hjälp du behöver (till exempel skulder, ork, våld, skilsmässa, missbruk eller psykisk hälsa) och var du bor.
not-ours = Det kan jag tyvärr inte svara på: jag känner bara till lågtröskelhjälp, till exempel vid skulder, ork, psykisk hälsa, våld, skilsmässa, missbruk och frågor om barn och unga. Berätta om du behöver sådan hjälp.

## I terminalen (lahiapu chat)

chat-welcome = Hej! Jag är Närhjälp. Berätta vilken hjälp du söker och var du bor. Avsluta med /sluta.
chat-bye = Ta hand om dig! Om ett liv är i fara, ring alltid 112.

## Matrix: kommandon och hjälp

help-intro = Jag är Närhjälp, en bot som hittar hjälp med låg tröskel nära dig: till exempel för skulder, ork, psykisk hälsa, våld, skilsmässa och missbruk. Skriv din fråga med egna ord och berätta var du bor.
help-privacy-public = Det här rummet är offentligt: berätta inte ditt namn, din adress, dina hälsouppgifter eller andra personuppgifter. Du kan också skriva till mig i ett privat meddelande.
help-privacy-direct = Det här är ett privat samtal. Jag för inte dina meddelanden vidare utan ditt lov.
help-commands = Kommandon: !hjälp (den här hjälpen), !språk fi|sv|en (svarsspråk), !ort Jakobstad (din ort i det här rummet).
help-crisis = Om ett liv är i fara, ring genast 112.
lang-set = Jag svarar dig på svenska i det här rummet.
lang-current = Jag svarar på det språk du skriver på. Byt språk: !språk sv, !språk fi eller !språk en.
lang-unknown = Det språket känner jag inte. Alternativen är fi, sv och en.
place-set = Okej: jag söker hjälp för dig i { $place }.
place-current = Din ort i det här rummet: { $place }.
place-none = Jag vet inte var du bor ännu. Berätta det i frågan eller skriv till exempel !ort Vasa.
place-unknown = Jag kände inte igen orten. Skriv kommunens namn, till exempel !ort Vasa.
flood-notice = Det kom många frågor på en gång. Jag svarar igen om en stund. Om ett liv är i fara, ring 112.
