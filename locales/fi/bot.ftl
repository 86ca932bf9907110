# Lähiapu – Matrix-botin tekstit (komennot, ohje, ilmoitukset).
# Ohjelma täyttää muuttujat { $x }; älä käännä niiden nimiä.

## Komennot ja ohje

help-intro = Olen Lähiapu, botti, joka etsii sinulle matalan kynnyksen apua läheltä: esimerkiksi velka-asioihin, jaksamiseen, mielenterveyteen, väkivaltaan, eroon ja päihteisiin. Kirjoita kysymyksesi omin sanoin ja kerro paikkakuntasi.
help-privacy-public = Tämä huone on julkinen: älä kerro nimeäsi, osoitettasi, terveystietojasi tai muita henkilötietoja. Voit kirjoittaa minulle myös yksityisviestillä.
help-privacy-direct = Tämä on yksityiskeskustelu. En kerro viestejäsi eteenpäin ilman lupaasi.
help-commands = Komennot: !apu (tämä ohje), !kieli fi|sv|en|auto (vastauskieli), !paikka Turku (paikkakuntasi tässä huoneessa).
help-crisis = Jos henki on vaarassa, soita heti 112.
lang-set = Vastaan sinulle tässä huoneessa suomeksi.
lang-current = Vastaan sinulle kielellä, jolla kirjoitat. Vaihda kieltä: !kieli fi, !kieli sv tai !kieli en.
lang-auto-hint = Kirjoita !kieli auto, niin vastaan taas kielellä, jolla kirjoitat.
lang-auto-set = Selvä: vastaan taas kielellä, jolla kirjoitat.
lang-unknown = En tunne tuota kieltä. Vaihtoehdot: fi, sv, en ja auto.
place-set = Selvä: etsin sinulle apua paikkakunnalta { $place }.
place-current = Paikkakuntasi tässä huoneessa: { $place }.
place-none = En tiedä vielä paikkakuntaasi. Kerro se kysymyksessä tai kirjoita esimerkiksi !paikka Tampere.
place-unknown = En tunnistanut paikkakuntaa. Kirjoita kunnan nimi, esimerkiksi !paikka Tampere.

## Ilmoitukset

flood-notice = Kysymyksiä tuli nyt paljon kerralla. Vastaan taas hetken päästä. Jos henki on vaarassa, soita 112.
undecryptable-notice = En pystynyt lukemaan viestiäsi (se tuli salattuna niin, etten saa sitä auki). Lähetätkö sen uudelleen?
cancel-nothing = Sinulla ei ole avointa keskustelua vapaaehtoisten kanssa. Jos haluat puhua ihmisen kanssa, kirjoita !ihminen.

## Ylläpito

admin-only = Tämä komento on vain botin ylläpitäjille.
reload-started = Luen tietopohjan uudelleen; kerron tuloksen tähän.
reload-done = Tietopohja luettu uudelleen: { $services } palvelua ({ $seconds } s).
reload-broken = Tietopohjassa on virheitä, joten vastaan edelleen aiemmalla tiedolla. Korjattavaa:
reload-more = …ja { $n } muuta (lahiapu check näyttää kaikki).
reload-fixed = Tietopohja on taas kunnossa: { $services } palvelua käytössä.
status-line = Tila: { $services } palvelua, { $categories } luokkaa; Voikko { $voikko }; versio { $version }; käynnissä { $uptime }; avoimia tapauksia { $cases }.
status-last-reload = Viimeisin tietopohjan luku { $when }: { $result }.
status-never-reloaded = Tietopohjaa ei ole luettu uudelleen käynnistyksen jälkeen.
status-on = käytössä
status-off = ei käytössä
status-ok = onnistui
status-broken = virheitä
gaps-summary = Viikon yhteenveto: { $unanswered } kysymystä ilman varmaa vastausta, { $down } 👎 ja { $up } 👍 vastauksille. Yleisimmät aukot:
