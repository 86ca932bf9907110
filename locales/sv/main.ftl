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
badge-referral = remiss behövs
badge-anywhere = du kan komma från annat håll också
in-finnish = (på finska)
in-swedish = (på svenska)
channel-phone = Telefon { $number }
channel-chat = Chatt
channel-web = På webben
channel-visit = Besöksadress
channel-walk-in = utan tidsbokning
channel-email = E-post
channel-web-only = Bara en webbsida, inget telefonnummer eller adress är känd
channel-none = Inga kontaktuppgifter är publicerade.

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


## För yrkesfolk: alla tjänster (lahiapu list, !palvelut)

list-heading = { $category }: alla tjänster för { $place }, de närmaste först
list-empty = Jag hittade inga tjänster ({ $category }) för { $place }.
