# Lähiapu – vapaaehtoisille välittäminen (asukkaan ja vapaaehtoisten tekstit).
# Ohjelma täyttää muuttujat { $x }; älä käännä niiden nimiä.

## Asukkaalle

esc-moved-to-dm = Jatketaan yksityisesti: lähetin sinulle kutsun yksityiskeskusteluun. Jos haluat jatkaa tässä julkisessa ketjussa, jossa muutkin näkevät viestit, vastaa tähän: täällä
esc-consent-who = Voin välittää viestisi koulutetuille vapaaehtoisille ({ $orgs }).
esc-consent-what = He näkevät vain viestit, jotka kirjoitat tämän jälkeen, nimellä Asukas { $case } – eivät nimeäsi eivätkä Matrix-tunnustasi.
esc-consent-on-duty = Vapaaehtoiset ovat nyt paikalla.
esc-consent-back = Vapaaehtoiset ovat paikalla taas { $when }.
esc-consent-any-time = Vapaaehtoiset vastaavat niin pian kuin voivat.
esc-consent-question = Välitänkö viestisi? Vastaa kyllä tai ei (tai reagoi ✅ tai ❌).
esc-consent-public = Huomaa: tämä ketju on julkinen, ja vapaaehtoisten vastaukset näkyvät täällä kaikille.
esc-consent-yes = Kiitos. Kirjoita nyt viestisi vapaaehtoisille, niin välitän sen. Voit lopettaa milloin vain kirjoittamalla !peru.
esc-consent-no = Selvä, en välitä mitään. Voit kysyä minulta lisää, tai pyytää ihmistä myöhemmin kirjoittamalla !ihminen.
esc-case-opened = Viestisi on välitetty vapaaehtoisille. He vastaavat tähän keskusteluun. Jos henki on vaarassa, soita 112.
esc-relay-to-resident = Vapaaehtoinen vastaa: { $text }
esc-service-intro = Vapaaehtoinen lähetti sinulle tämän palvelun tiedot:
esc-closed = Tapaus on suljettu. Jos haluat kysyä uudelleen, kirjoita !ihminen tai kysy minulta.
esc-cancelled = Lopetin välittämisen: vapaaehtoiset eivät enää saa viestejäsi. Voit aloittaa uudelleen kirjoittamalla !ihminen.
esc-already-open = Sinulla on jo avoin keskustelu vapaaehtoisten kanssa. Kirjoita viestisi siihen, niin välitän sen.
esc-offer = Jos haluat, että ihminen vastaa sinulle, kirjoita !ihminen.
esc-unavailable = Täällä ei ole vapaaehtoisia vastaamassa.
esc-dm-failed = En saanut avattua yksityiskeskustelua. Jos haluat jatkaa tässä julkisessa ketjussa, vastaa: täällä

## Vapaaehtoisille

esc-resident = Asukas { $case }
esc-root = Tapaus #{ $case } · { $lang } · { $place } · { $state }
esc-place-unknown = paikkakunta ei tiedossa
esc-state-open = avoin
esc-state-claimed = otettu ({ $who })
esc-state-closed = suljettu
esc-relay-to-volunteers = { $resident }: { $text }
esc-hint = Vastaa tapauksiin niiden ketjuissa; viestisi välitetään asukkaalle. Komennot ketjussa: !ota, !muistio (ei välitetä), !palvelu TUNNUS, !sulje. Kaikkialla: !tapaukset.
esc-not-volunteer = Välitän asukkaille vain vapaaehtoisten viestejä.
esc-not-a-case = Tämä ketju ei ole tapaus. Vastaa tapauksen ketjussa.
esc-case-ended = Tapaus on suljettu, eikä viestiä välitetty.
esc-reminder = Tapaus #{ $case } odottaa vastausta ({ $minutes } min).
esc-cases-heading = Avoimet tapaukset:
esc-cases-line = #{ $case } · { $lang } · { $place } · { $state } · { $age }
esc-cases-none = Ei avoimia tapauksia.
esc-age-minutes = { $n } min
esc-age-hours = { $n } h
esc-age-days = { $n } pv
esc-closed-ack = Tapaus #{ $case } suljettu, ja asukkaalle kerrottiin.
esc-service-unknown = En löydä palvelua { $id }. Tunnukset ovat tiedostojen nimiä kansiossa knowledge/services.
esc-service-sent = Lähetin asukkaalle palvelun { $id }.
esc-warn-public = Varoitus ylläpitäjille: vapaaehtoisten huone on julkinen. Tee siitä kutsuhuone, jotta asukkaiden viestit pysyvät vapaaehtoisten kesken.
esc-warn-unencrypted = Varoitus ylläpitäjille: vapaaehtoisten huone ei ole salattu. Ota salaus käyttöön.
