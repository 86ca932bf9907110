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
badge-referral = lähete tarvitaan
badge-anywhere = voit tulla muualtakin
in-finnish = (suomeksi)
in-swedish = (ruotsiksi)
channel-phone = Puhelin { $number }
channel-chat = Chat
channel-web = Verkossa
channel-visit = Käyntiosoite
channel-walk-in = ilman ajanvarausta
channel-email = Sähköposti
channel-web-only = Vain verkkosivu, puhelinta tai osoitetta ei ole tiedossa
channel-none = Yhteystietoja ei ole julkaistu.

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


## Ammattilaisille: kaikki palvelut (lahiapu list, !palvelut)

list-heading = { $category }: kaikki palvelut paikkakunnalle { $place }, lähimmät ensin
list-empty = En löytänyt palveluja ({ $category }) paikkakunnalle { $place }.
