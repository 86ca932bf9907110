# Närhjälp – Matrix-botens texter (kommandon, hjälp, meddelanden).
# Programmet fyller i variablerna { $x }; översätt inte deras namn.

## Kommandon och hjälp

help-intro = Jag är Närhjälp, en bot som hittar hjälp med låg tröskel nära dig: till exempel för skulder, ork, psykisk hälsa, våld, skilsmässa och missbruk. Skriv din fråga med egna ord och berätta var du bor.
help-privacy-public = Det här rummet är offentligt: berätta inte ditt namn, din adress, dina hälsouppgifter eller andra personuppgifter. Du kan också skriva till mig i ett privat meddelande.
help-privacy-direct = Det här är ett privat samtal. Jag för inte dina meddelanden vidare utan ditt lov.
help-commands = Kommandon: !hjälp (den här hjälpen), !språk fi|sv|en|auto (svarsspråk), !ort Jakobstad (din ort i det här rummet).
help-crisis = Om ett liv är i fara, ring genast 112.
lang-set = Jag svarar dig på svenska i det här rummet.
lang-current = Jag svarar på det språk du skriver på. Byt språk: !språk sv, !språk fi eller !språk en.
lang-auto-hint = Skriv !språk auto så svarar jag igen på det språk du skriver på.
lang-auto-set = Okej: jag svarar igen på det språk du skriver på.
lang-unknown = Det språket känner jag inte. Alternativen är fi, sv, en och auto.
place-set = Okej: jag söker hjälp för dig i { $place }.
place-current = Din ort i det här rummet: { $place }.
place-none = Jag vet inte var du bor ännu. Berätta det i frågan eller skriv till exempel !ort Vasa.
place-unknown = Jag kände inte igen orten. Skriv kommunens namn, till exempel !ort Vasa.

## Meddelanden

flood-notice = Det kom många frågor på en gång. Jag svarar igen om en stund. Om ett liv är i fara, ring 112.
undecryptable-notice = Jag kunde inte läsa ditt meddelande (det kom krypterat så att jag inte kan öppna det). Kan du skicka det igen?
cancel-nothing = Du har inget öppet samtal med de frivilliga. Om du vill prata med en människa, skriv !människa.

## Underhåll

admin-only = Det här kommandot är bara för botens administratörer.
reload-started = Jag läser in kunskapsbasen igen; resultatet kommer hit.
reload-done = Kunskapsbasen inläst igen: { $services } tjänster ({ $seconds } s).
reload-broken = Kunskapsbasen har fel, så jag svarar fortfarande med den tidigare. Att rätta:
reload-more = …och { $n } till (lahiapu check visar alla).
reload-fixed = Kunskapsbasen är i skick igen: { $services } tjänster används.
status-line = Läge: { $services } tjänster, { $categories } kategorier; Voikko { $voikko }; version { $version }; igång { $uptime }; öppna ärenden { $cases }.
status-last-reload = Senaste inläsning av kunskapsbasen { $when }: { $result }.
status-never-reloaded = Kunskapsbasen har inte lästs in igen sedan starten.
status-on = på
status-off = av
status-ok = lyckades
status-broken = fel
gaps-summary = Veckans sammandrag: { $unanswered } frågor utan säkert svar, { $down } 👎 och { $up } 👍 på svaren. De vanligaste luckorna:
