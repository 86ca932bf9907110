# Lähiapu – suomenkieliset tekstit.
# Muuttujat { $x } täyttää ohjelma; älä käännä niiden nimiä.

## Hätä: vastauksen alku, kun viesti kertoo hengenvaarasta.

crisis-emergency = Jos henki on vaarassa nyt, soita heti hätänumeroon 112.
crisis-violence = Jos joku uhkaa sinua nyt, mene turvaan, jos voit, ja soita 112.
crisis-lines = Voit soittaa myös:
crisis-not-alone = Et ole yksin. Alla on myös muuta apua.

## Palvelulistan otsikot

results-for-place = Apua, kun asut paikkakunnalla { $place }:
results-for-region = Apua alueella { $place }:
results-national = Apua koko Suomessa:
results-ask-place = Kerro paikkakuntasi, niin etsin apua myös läheltäsi.
place-ambiguous = { $name } on usealla paikkakunnalla ({ $place }). Kerro, millä paikkakunnalla asut, niin etsin apua läheltäsi.
results-none-near = En löytänyt tähän paikkakunnan { $place } omaa palvelua; tässä lähimmät ja koko Suomen palvelut.

## Palvelun rivit

scope-local = { $place }
scope-regional = oma hyvinvointialueesi
scope-national = koko Suomi
scope-elsewhere = { $place }
scope-elsewhere-km = { $place }, noin { $km } km
badge-free = maksuton
badge-anonymous = nimetön
badge-no-referral = ei lähetettä
badge-walk-in = voit tulla ilman ajanvarausta
in-finnish = (suomeksi)
in-swedish = (ruotsiksi)
channel-phone = Puhelin { $number }
channel-chat = Chat
channel-web = Verkossa
channel-visit = Käyntiosoite
channel-walk-in = ilman ajanvarausta

## Aukiolo (Suomen aikaa)

status-always = auki aina
status-open = auki nyt
status-open-until = auki nyt, sulkeutuu klo { $time }
status-opens = suljettu nyt, aukeaa { $when }
status-closed = suljettu nyt
when-today = klo { $time }
when-tomorrow = huomenna klo { $time }
when-day = { $day } klo { $time }
weekday-1 = maanantaina
weekday-2 = tiistaina
weekday-3 = keskiviikkona
weekday-4 = torstaina
weekday-5 = perjantaina
weekday-6 = lauantaina
weekday-7 = sunnuntaina

## Loppu

footer = Tiedot on koottu palvelujen omilta ja julkisilta sivuilta; tarkista ajat ennen lähtöä. Jos henki on vaarassa, soita 112.
offer-human = Jos haluat jutella jonkun kanssa nyt, { $name } vastaa ympäri vuorokauden: { $number }.

## Kun en ymmärrä kysymystä

not-understood = En löytänyt tähän sopivaa apua. Kerro omin sanoin, millaista apua tarvitset (esimerkiksi velat, jaksaminen, väkivalta, ero, päihteet tai mielenterveys), ja millä paikkakunnalla asut.
not-ours = Tähän en osaa vastata: tunnen vain matalan kynnyksen apua, esimerkiksi velkoihin, jaksamiseen, mielenterveyteen, väkivaltaan, eroon, päihteisiin sekä lasten ja nuorten asioihin. Kerro, jos tarvitset sellaista apua.

## Päätteessä (lahiapu chat)

chat-welcome = Hei! Olen Lähiapu. Kerro, millaista apua etsit ja millä paikkakunnalla asut. Lopeta kirjoittamalla /lopeta.
chat-bye = Voimia! Apua saa aina myös numerosta 112, jos henki on vaarassa.

## Matrix: komennot ja ohje

help-intro = Olen Lähiapu, botti, joka etsii sinulle matalan kynnyksen apua läheltä: esimerkiksi velka-asioihin, jaksamiseen, mielenterveyteen, väkivaltaan, eroon ja päihteisiin. Kirjoita kysymyksesi omin sanoin ja kerro paikkakuntasi.
help-privacy-public = Tämä huone on julkinen: älä kerro nimeäsi, osoitettasi, terveystietojasi tai muita henkilötietoja. Voit kirjoittaa minulle myös yksityisviestillä.
help-privacy-direct = Tämä on yksityiskeskustelu. En kerro viestejäsi eteenpäin ilman lupaasi.
help-commands = Komennot: !apu (tämä ohje), !kieli fi|sv|en (vastauskieli), !paikka Turku (paikkakuntasi tässä huoneessa).
help-crisis = Jos henki on vaarassa, soita heti 112.
lang-set = Vastaan sinulle tässä huoneessa suomeksi.
lang-current = Vastaan sinulle kielellä, jolla kirjoitat. Vaihda kieltä: !kieli fi, !kieli sv tai !kieli en.
lang-unknown = En tunne tuota kieltä. Vaihtoehdot: fi, sv, en.
place-set = Selvä: etsin sinulle apua paikkakunnalta { $place }.
place-current = Paikkakuntasi tässä huoneessa: { $place }.
place-none = En tiedä vielä paikkakuntaasi. Kerro se kysymyksessä tai kirjoita esimerkiksi !paikka Tampere.
place-unknown = En tunnistanut paikkakuntaa. Kirjoita kunnan nimi, esimerkiksi !paikka Tampere.
flood-notice = Kysymyksiä tuli nyt paljon kerralla. Vastaan taas hetken päästä. Jos henki on vaarassa, soita 112.
