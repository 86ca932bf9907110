//! Does a message signal a risk to life right now?
//!
//! This runs before anything else is said: a message with suicidal intent, or about a
//! violent person present now, gets 112 and a 24/7 crisis line at the top of the reply.
//! Missing such a message is far worse than a false alarm, so the rules lean towards
//! "crisis"; but violence or threats without immediacy ("mieheni uhkailee minua") are
//! domestic-violence questions, not emergencies, and are left to the search.
//!
//! The rules read the normalised text (lowercased, punctuation as spaces), in all three languages at once, and use no
//! optional component: they work the same with or without Voikko. Each rule is a list of
//! patterns that must all match, so "a violent act" and "now" can be combined without
//! listing every sentence; a pattern written with a leading `!` must not match (a
//! condition such as "jos taustalla on itsetuhoisuutta" is no statement about oneself).

use std::sync::LazyLock;

use regex::Regex;

use crate::understand::text::normalise;

/// What kind of danger a message signals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Crisis {
    /// Risk to one's own life (or someone announcing they will take theirs).
    pub self_harm: bool,
    /// A violent person present now, or a threat to kill.
    pub violence: bool,
}

impl Crisis {
    pub fn any(self) -> bool {
        self.self_harm || self.violence
    }
}

#[derive(Clone, Copy)]
enum Kind {
    SelfHarm,
    Violence,
}

/// Words that place an act in the present or the next hours.
const NOW: &str = r"\b(nyt|nytte?n|just|juuri|tällä hetkellä|parhaillaan|äsken|täällä|tääl|oven takana|ovella|ovel|sisään|tulossa|kohta|tänään|tänä iltana|tänä yönä|kotiin|nu|just nu|här|utanför|på väg|ikväll|i natt|hem|right now|now|here|outside|still|on (his|her|their) way|tonight|coming|(comes|gets|getting) home)\b";

/// Violent acts going on: with a word of [`NOW`] near them they are an emergency (not with a
/// "now" that opens a long story of what someone habitually does).
const VIOLENT_ACT: &str = r"\b(lyö|lyövät|lyöntej\w*|hakkaa|hakkaavat|potkii|kuristaa|riehuu|pahoinpitelee|raiskaa|puukottaa|slår|sparkar|stryper|misshandlar|våldtar|hits|hitting|beats|beating|kicks|kicking|choking|strangling|attacking|stabbing)\b";

/// Violent acts just done: an emergency only with a word of [`JUST_NOW`] ("löi mua äsken"),
/// not with a plain "now" ("löi viime kuussa ja nyt pyytää anteeksi").
const VIOLENT_PAST: &str = r"\b(löi|hakkas\w*|potki|kuristi|pahoinpiteli|raiskas\w*|puukotti|slog|sparkade|ströp|misshandlade|våldtog|knivhögg|hit|beat|kicked|choked|strangled|attacked|stabbed|raped)\b";

/// Words that place an act minutes ago, or the person still there.
const JUST_NOW: &str = r"\b(äsken|just|juuri|hetki sitten|ihan vasta|vielä täällä|on vielä|nyss|alldeles nyss|är kvar|är fortfarande här|still here|a moment ago|minutes ago|just now)\b";

const WEAPON: &str = r"\b(puuko\w*|puukk\w*|veits\w*|veist\w*|asee\w*|ase|pyssy\w*|kirvee\w*|kirves|kniv\w*|vapen|pistol\w*|gevär|yxa|knife|knives|gun|axe)\b";

const THREAT: &str = r"\b(uhka\w*|uhkail\w*|heiluttaa|kädessä|hotar|hotade|viftar|threat\w*|waving|with|med|has|har)\b";

/// Phrases that name a risk without telling of one: "kuka lyö ja kuka haukkuu" asks who will
/// hit (a bullied child's morning), it reports no blow; "jag har inga självmordstankar" and
/// "I'm not suicidal" deny the thought they name. Removed before the rules read the text, so
/// that a report in the same message still counts.
static NOT_A_RISK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        &[
            r"\bkuka\s+(lyö|hakkaa|potkii)\b",
            r"\b(ei|en|eikä|enkä)\s+(ole\s+)?(ollut\s+)?(mitään\s+)?(itsemurha-?ajatu\w*|itsetuhoi\w*)",
            r"\b(inga|inte|aldrig|utan)\s+(några\s+|haft\s+|har\s+|är\s+|varit\s+)?självmord\w*",
            r"\b(no|not|never|without)\s+(any\s+|really\s+|had\s+|have\s+|been\s+)?suicid\w*",
        ]
        .join("|"),
    )
    .expect("a valid regex")
});

/// A pattern of a rule: it must match, or, written with a leading `!`, it must not.
struct Pattern {
    regex: Regex,
    negated: bool,
}

/// How many characters may stand between a violent act and the word that places it now.
const ACT_NEAR_NOW: usize = 40;

static RULES: LazyLock<Vec<(Kind, Vec<Pattern>)>> = LazyLock::new(|| {
    use Kind::*;
    let act_now = format!("{VIOLENT_ACT}.{{0,{ACT_NEAR_NOW}}}{NOW}|{NOW}.{{0,{ACT_NEAR_NOW}}}{VIOLENT_ACT}");
    let rules: &[(Kind, &[&str])] = &[
        // --- fi: not wanting to live, wanting to die, suicidal plans
        (
            SelfHarm,
            &[
                r"\b(en|ei|enkä|eikä|enää en)\s+(halua|haluu|jaksa|kestä|pysty)\w*\s+(enää\s+|vaan\s+|edes\s+|yhtään\s+)*elää",
                // not living alone, or with a person: "en halua elää yksin", "… hänen kanssaan";
                // living with pain is another matter ("en halua elää tämän tuskan kanssa")
                r"!\b(halua|haluu|jaksa|kestä|pysty)\w*\s+elää\s+(yksin|(hänen|heidän|miehe\w*|vaimo\w*|puoliso\w*|poikaystävä\w*|tyttöystävä\w*|vanhempie\w*|äidi\w*|isä\w*|alkoholisti\w*|juopo\w*)\s+kanssa\w*)",
            ],
        ),
        (
            SelfHarm,
            &[r"\b(halua\w*|haluu\w*|haluis\w*|tekis\w* mieli)\s+(vaan\s+|vain\s+|jo\s+|nyt\s+|enää\s+)*kuolla"],
        ),
        (SelfHarm, &[r"\b(syytä|järkeä|merkitystä|tarkoitusta|pointtia)\s+(\w+\s+)?elää"]),
        // No point in life itself, asked or said: "mitä järkeä on elämässä", "ei mitään
        // tarkoitusta elämällä"; not meaning found ("vertaistuki toi merkitystä elämään").
        (
            SelfHarm,
            &[
                r"\b(mitä|ei|en näe|vailla)\s+(\w+\s+){0,2}(järkeä|järki|syytä|merkitystä|merkitys|tarkoitusta|tarkoitus|pointtia|pointti)\s+(\w+\s+)?(elämä|elämässä|elämällä|elämälle|elämään|elämässäni|elämälläni)\b",
            ],
        ),
        (SelfHarm, &[r"\b(tapan|tappaa|tapa|tappaisin|tappamaan|tapoin)\s+(it[st]e\w*)"]),
        (
            SelfHarm,
            &[
                r"\bitsemurh\w*",
                r"\b(ajattel\w*|mielessä|mieleen|aion|aikoo|aikovan|suunnittel\w*|harkitse\w*|harkitsen|teen|tekemään|yritän|yritin|yrittänyt|yritti|haluan|haluun|haluaisin|haluisin|halua|tehdä|huvitta\w*|tekis\w*\s+mieli|tekee\s+mieli)\b",
            ],
        ),
        // "olen itsetuhoinen", "lapsi on itsetuhoinen"; not a condition ("jos taustalla on
        // itsetuhoisuutta").
        (SelfHarm, &[r"\b(on|oon|olen|tulee|tuli just)\s+itsetuho\w*", r"!\bjos\s+(\w+\s+){0,2}on\s+itsetuho"]),
        // The feeling told as something that comes over one: "itsetuhoisuus nostaa päätään",
        // "itsetuhoiset ajatukset valtaavat", "mulla on itsetuhoisia ajatuksia".
        (
            SelfHarm,
            &[
                r"\bitsetuho\w*\s+(\w+\s+)?(ajatuk\w*|ajatel\w*|olo\w*|tunte\w*|nostaa|nosti|valtaa\w*|ottaa|otti|iskee|iski|kasvaa|palaa|palasi|hiipii|väijy\w*)",
                r"!\bjos\s+(\w+\s+){0,2}on\s+itsetuho",
                // a past that is over: "mulla oli itsetuhoisia ajatuksia nuorena"
                r"!\b(oli|olivat|ollut|olleet)\s+(\w+\s+)?itsetuho",
            ],
        ),
        (SelfHarm, &[r"\b(mulla|minulla|mul|mulle|minulle)\s+(on\s+|tulee\s+|tuli\s+)?(taas\s+|usein\s+)?itsetuho\w*"]),
        // Wanting out of life itself: "päästä eroon tästä elämästä", "haluan pois tästä maailmasta".
        (SelfHarm, &[r"\b(pois|eroon)\s+(tästä|koko)\s+(elämästä|maailmasta)"]),
        // "maailma olisi parempi paikka ilman minua", "kaikilla olisi parempi ilman mua".
        (SelfHarm, &[r"\bparempi\w*\s+(\w+\s+)?ilman\s+(minua|mua|minuu|muo)\b"]),
        (SelfHarm, &[r"\bilman\s+(minua|mua)\s+(\w+\s+){0,3}(parempi|paremmin|parempaa)"]),
        (
            SelfHarm,
            &[
                r"\b(otin|otan|ottaa|nielin|nielen|niellä|vedän|vedin)\b",
                r"\b(kaikki|koko|purkin|purkillisen|liikaa)\b",
                r"\b(pilleri\w*|lääkk\w*|lääke\w*|tabletti\w*|tabu\w*|unilääk\w*)",
            ],
        ),
        // Pills in hand together with not coping: "pillerit kädessä enkä jaksa".
        (
            SelfHarm,
            &[
                r"\b(pilleri\w*|lääkk\w*|lääke\w*|tabletti\w*|tabu\w*|tablett\w*|piller|pills?)\b",
                r"\b(kädessä|edessä|valmiina|framför|i handen|in my hand|ready)\b",
            ],
        ),
        (SelfHarm, &[r"jäähyväis\w*"]),
        (SelfHarm, &[r"\bköy(si|den|ttä)\b", r"\b(valmii\w*|hirt\w*|kaulaan)"]),
        (SelfHarm, &[r"\bhirt(ä|ää|äydy|äytyä|ttäydyn)\w*\s+it\w*|\bhirttäyd\w*"]),
        (SelfHarm, &[r"\bviil\w*", r"\bverta\b|\bvuota\w*"]),
        (
            SelfHarm,
            &[
                r"\b(helpompaa|parempi|parempaa)\b.{0,30}\bjos\s+(mua|minua|mä|minä|mää)\s+(ei|en)\s+(olis|olisi|ois|oo|ole)",
            ],
        ),
        (SelfHarm, &[r"\blopet\w*\s+(tän|tämän|tämä|koko)?\s*(kaiken|kaikki|elämäni|päiväni)"]),
        (SelfHarm, &[r"\bpäät\w*\s+(päivä\w*|elämä\w*)"]),
        // "haluan päättää kaiken", "osa minusta haluaa päättää kaiken"; not "mies haluaa
        // päättää kaikesta" (to decide everything), which is control, not a wish to die.
        (
            SelfHarm,
            &[
                r"\b(haluan|haluun|haluaisin|haluisin|minusta haluaa|mua|mun tekee mieli|tekis\w* mieli|tekee mieli|aion|meinaan)\s+(vaan\s+|vain\s+|jo\s+|nyt\s+)*(päättää|lopettaa)\s+(tämän\s+|tän\s+|koko\s+)?(kaiken|kaikki|tämän|tän)\b",
            ],
        ),
        // Driving into oncoming traffic, lying down before a train: "ajatus ajaa rekan keulaan".
        (
            SelfHarm,
            &[
                r"\b(aja\w*|jää\w*|hypä\w*|hyppää\w*|heittäy\w*|käve\w*)\b.{0,40}\b(rekan|rekkaa|junan|bussin|vastaantulev\w*)\s+(\w+\s+)?(keulaan|alle|eteen|kylkeen|päin)",
            ],
        ),
        (SelfHarm, &[r"\b(köra|kör|körde)\b.{0,30}\b(in i|framför)\s+(en\s+)?(lastbil\w*|tåg\w*|mötande)"]),
        (
            SelfHarm,
            &[
                r"\b(drive|driving|drove|step|stepping|jump|jumping)\b.{0,30}\b(into|in front of)\s+(a\s+|the\s+|an\s+)?(truck|lorry|train|oncoming)",
            ],
        ),
        (
            SelfHarm,
            &[
                r"\b(hyppään|hypätä|hyppäisin|hyppää|hypäten)\b.{0,25}\b(parvek\w*|sillal\w*|sillasta|katol\w*|ikkuna\w*|junan|alas|kerroksesta|tornista)",
            ],
        ),
        (SelfHarm, &[r"\b(en|ei)\s+halua\w*\s+(enää\s+)?(olla|herätä)\s+(olemassa|enää)"]),
        // a wish to be dead or not to wake up ("kunpa vaan kuolisin", "toivon etten heräisi")
        (
            SelfHarm,
            &[
                r"\b(toivon|toivoisin|toivoin|kunpa|kunhan|jospa)\s+(\w+\s+){0,2}(kuolisin|olisin kuollut|kuolla|heräisi|heräis)\b",
            ],
        ),
        // --- sv
        (SelfHarm, &[r"\b(vill|ville)\s+(bara\s+|helst\s+)?dö\b"]),
        (SelfHarm, &[r"\bönska\w*\s+(att\s+)?jag\s+((var|vore|skulle\s+vara)\s+död|(fick|kunde|skulle)\s+dö)\b"]),
        (
            SelfHarm,
            &[
                r"\b(vill|orkar|kan)\s+inte\s+(längre\s+)?leva",
                r"!\binte\s+leva\s+(ensam|tillsammans|med\s+(honom|henne|dem|en\s+som|någon\s+som|min\s+(man|fru|sambo|pojkvän|flickvän|partner)))\b",
            ],
        ),
        (SelfHarm, &[r"\b(ta|tar|tog|tagit|tänker ta)\s+livet\s+av\s+(mig|sig|dig)"]),
        (SelfHarm, &[r"\bingen\s+(mening|idé)\s+(med\s+)?(att\s+)?leva"]),
        (SelfHarm, &[r"\b(ta|tar|tog|svälja|sväljer|svalde)\b", r"\balla\b", r"\b(tablett\w*|piller|medicin\w*)"]),
        (SelfHarm, &[r"\b(skurit|skär|skar)\s+mig\b", r"\bblöd\w*"]),
        (SelfHarm, &[r"\bsluta\s+(att\s+)?finnas|\bvill\s+försvinna\s+för\s+alltid"]),
        (SelfHarm, &[r"\b(vill|ville|tänker)\s+(bara\s+)?(avsluta|göra slut på)\s+(allt|alltihop|livet|mitt liv)\b"]),
        (SelfHarm, &[r"\bbättre\s+(\w+\s+){0,2}utan\s+mig\b"]),
        // Not wanting to wake up: "önskar att jag inte vaknat", "vill inte vakna mer".
        (
            SelfHarm,
            &[
                r"\b(önskar|önskade)\s+(att\s+)?jag\s+(inte|aldrig)\s+(hade\s+|skulle\s+)?vakna\w*|\bvill\s+(inte|aldrig)\s+vakna\s+(mer|igen|upp\s+igen)\b",
            ],
        ),
        (SelfHarm, &[r"\bsjälvmord\w*", r"\b(tänker|planerar|funderar|ska|vill|jag har|överväger)\b"]),
        (SelfHarm, &[r"\bsjälvmordsförsök\w*|\bsjälvmord\w*\s+(\w+\s+){0,3}(försök\w*|sjukhus\w*|akuten)"]),
        (SelfHarm, &[r"\b(avskedsbrev|farvälbrev)"]),
        (SelfHarm, &[r"\bhoppa\w*\b.{0,20}\b(bron|balkongen|taket|fönstret|framför tåget)"]),
        // --- en
        (SelfHarm, &[r"\bkill\w*\s+(myself|himself|herself|themselves)"]),
        (SelfHarm, &[r"\b(want|wants|wanted|wanting|wanna|wish|wished|wishing)\s+(to\s+)?die\b"]),
        (
            SelfHarm,
            &[
                r"\b(don'?t|do not|dont|no longer)\s+want\s+to\s+(live|be alive|exist|wake up)",
                // living alone or with a person, not living with pain or "in this world"
                r"!\bwant\s+to\s+live\s+(on my own|alone|by myself|together|with\s+(him|her|them|someone|somebody|roommates?|my\s+(parents|mom|mum|dad|husband|wife|partner|boyfriend|girlfriend|ex|family)))\b",
            ],
        ),
        (SelfHarm, &[r"\bend(ing)?\s+(my\s+life|it\s+all|everything|my\s+own\s+life)"]),
        (SelfHarm, &[r"\bsuicid\w*", r"\b(thinking|think|going to|gonna|plan\w*|want|will|about to|consider\w*)\b"]),
        // Attempts, also someone else's ("ended up in the emergency room due to suicide").
        (SelfHarm, &[r"\bsuicid\w*", r"\b(attempt\w*|tried|tries|try|hospital\w*|emergency)\b"]),
        (SelfHarm, &[r"\boverdos\w*"]),
        (SelfHarm, &[r"\bno\s+(point|reason)\s+(in\s+|to\s+)?(living|live|go on)"]),
        (SelfHarm, &[r"\bgoodbye\s+(letter|note)"]),
        (
            SelfHarm,
            &[
                r"\bwish\w*\s+i\s+(was|were|could\s+be|could|would)\s+(dead|die|just\s+die|not\s+wake\s+up|never\s+wake\s+up)\b",
            ],
        ),
        (SelfHarm, &[r"\bbetter\s+(off\s+)?without\s+me\b"]),
        // Not wanting to wake up: "I wake up in the morning and wished I hadn't".
        (
            SelfHarm,
            &[
                r"\bwish\w*\s+(that\s+)?i\s+(hadn'?t|had\s+not|didn'?t|did\s+not|wouldn'?t|would\s+not|never)\s+(woken|wake|waken|woke)\b",
            ],
        ),
        (SelfHarm, &[r"\bwak\w*\s+up\b.{0,40}\bwish\w*\s+(that\s+)?i\s+(hadn'?t|had\s+not|didn'?t|wouldn'?t)\b"]),
        (SelfHarm, &[r"\b(going to|gonna|about to|will)\s+jump\b"]),
        (SelfHarm, &[r"\b(cut|cutting|slit)\s+(myself|my\s+wrists?)"]),
        // --- violence: threats to kill, in any language
        (
            Violence,
            &[r"\b(uhka\w*|uhkail\w*|sanoo|sano|sanoi|huutaa|huus\w*|lupaa|lupas\w*|kirjott\w*)\b.{0,25}\btappaa\b"],
        ),
        (
            Violence,
            &[
                r"\b(hotar|hotade|skriker|skrek|säger|sa|sade)\b.{0,30}\b(döda|mörda|ha ihjäl)\b|\bska\s+(döda|mörda)\s+(mig|oss|barnen)",
            ],
        ),
        (
            Violence,
            &[r"\b(will|gonna|going to|threaten\w*|says?|said)\b.{0,25}\bkill\s+(me|us|my|the\s+kids|the\s+children)"],
        ),
        // --- violence: a weapon with a threat or someone present
        (Violence, &[WEAPON, THREAT]),
        (Violence, &[WEAPON, NOW]),
        // --- violence: a violent act happening now
        (Violence, &[act_now.as_str()]),
        (Violence, &[VIOLENT_PAST, JUST_NOW]),
        // --- violence: the person the asker fears is here ("han är här nu")
        (
            Violence,
            &[
                r"\b(han|hon|hän|se|mies|mieheni|exä|exäni|ex|exet|exen|he|she|my ex|my husband|my partner)\s+(är|on|is|'s)\s+(här|täällä|tääl|here|tulossa|på väg|on (his|her|the) way)\b",
            ],
        ),
    ];
    rules
        .iter()
        .map(|(kind, patterns)| {
            let compiled = patterns
                .iter()
                .map(|p| {
                    let (negated, p) = match p.strip_prefix('!') {
                        Some(rest) => (true, rest),
                        None => (false, *p),
                    };
                    Pattern { regex: Regex::new(p).expect("safety patterns are valid regexes"), negated }
                })
                .collect();
            (*kind, compiled)
        })
        .collect()
});

/// Classifies a message. Pure and cheap (a few dozen regexes over one lowercased string).
pub fn assess(text: &str) -> Crisis {
    assess_normalised(&normalise(text))
}

/// Classifies a message already normalised by [`crate::understand::text::normalise`] (the
/// form a [`crate::understand::Question`] carries).
pub fn assess_normalised(text: &str) -> Crisis {
    let text = NOT_A_RISK.replace_all(text, " ");
    let text = text.as_ref();
    let mut crisis = Crisis::default();
    for (kind, patterns) in RULES.iter() {
        if patterns.iter().all(|p| p.regex.is_match(text) != p.negated) {
            match kind {
                Kind::SelfHarm => crisis.self_harm = true,
                Kind::Violence => crisis.violence = true,
            }
        }
    }
    crisis
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risk_to_life_is_recognised_in_three_languages() {
        for text in [
            "en halua enää elää",
            "En halua elää.",
            "haluun vaan kuolla pois",
            "mä tapan itteni",
            "ajattelen itsemurhaa",
            "huvittais vaa itsemurha tehä",
            "tekis mieli tehdä itsemurha",
            "jag vill inte leva längre",
            "Jag vill dö",
            "jag tänker ta livet av mig",
            "I want to kill myself",
            "i dont want to live anymore",
            "han är här nu",
            "han är här nu och slår mig",
            "se hakkaa mua just nyt!!",
            "exä on oven takana ja uhkaa tappaa",
            "mitt ex står utanför dörren med kniv",
            "he's hitting me right now",
            "mulla on pillerit tässä kädessä enkä jaksa enää elää",
            "isä kuristi äitiä äsken",
            "my boyfriend just choked me",
            "tuntuu kuin maailma olisi parempi paikka ilman minua",
            "kaikilla olisi parempi ilman mua",
            "världen vore bättre utan mig",
            "everyone would be better off without me",
            "olen itsetuhoinen",
            "osa minusta haluaa vain päättää kaiken",
            "mä haluun vaan lopettaa tän kaiken",
            "välillä tulee ajatus että ajaisin auton rekan alle",
            "mietin jäädä junan alle",
            "yritin itsemurhaa viime vuonna ja nyt ajatukset palaa",
            "jag vill bara avsluta allt",
            "ibland tänker jag köra in i en mötande lastbil",
            "I keep thinking about driving into a truck",
            "some nights I end up just wanting to die",
            "I wished to die after the breakup",
            "kunpa vaan kuolisin pois",
            "toivon etten heräisi enää aamulla",
            "jag ville bara dö när han gick",
            "jag önskar att jag vore död",
            "I wish I was dead",
            "sometimes I wish I could just die",
            "en tiedä kuka lyö, mutta joku hakkaa ovea nyt",
            "she has been in the emergency room after a suicide attempt twice",
            "he ended up in hospital due to suicide several times",
            "hon har gjort två självmordsförsök i år",
            "hon hamnade på akuten efter självmord försök",
            "I'm not going to lie, I think about suicide every day",
            "en halua tehdä itsemurhaa mutta en jaksa enää",
            "I don't want to live in this world anymore",
            "I don't want to live with this pain",
            "en halua elää tämän tuskan kanssa",
            "jag vill inte leva med den här ångesten",
            "taka-alalla väijyvä itsetuhoisuus nostaa päätään",
            "itsetuhoiset ajatukset valtaavat illalla",
            "mulla on taas itsetuhoisia ajatuksia",
            "on vain yksi toive: päästä eroon tästä elämästä",
            "haluan vain pois tästä maailmasta",
            "Now he is hitting her, please help",
            "mitä järkeä on elämässä, jossa ei ole ketään",
            "en näe mitään tarkoitusta elämälläni",
            "I wake up in the morning and wished I hadn’t",
            "some days I wish I hadn't woken up",
            "jag önskar att jag inte hade vaknat i morse",
            "jag vill inte vakna mer",
        ] {
            assert!(assess(text).any(), "{text}");
        }
    }

    #[test]
    fn violence_without_immediacy_is_not_an_emergency() {
        for text in [
            "mieheni uhkailee",
            "mieheni uhkailee minua usein",
            "exä löi minua viime vuonna",
            "min man hotar mig ibland",
            "han slog mig för två år sedan",
            "my ex used to hit me years ago",
            "lähisuhde väkivalta",
            "mistä apua velkoihin Turussa",
            "jag orkar inte längre med barnen",
            "en jaksa enää lasten kanssa",
            "tää deadline tappaa mut",
            "I could kill for a coffee",
            "jag dör av skratt",
            "poikaystävä löi mua viime kuussa ja nyt se pyytelee anteeks",
            "nuoren on päästävä hoitoon heti, etenkin jos taustalla on itsetuhoisuutta",
            "elämä on parempaa ilman alkoholia",
            "mies haluaa päättää kaikesta meidän kodissa",
            "exä haluaa aina päättää kaiken lapsista",
            "ajoin bussilla keskustaan",
            "jäin junan alle vaunusta, myöhästyin",
            "rahaneuvoja kertoi keinoja, joita olen kokeillut",
            "joka aamu mietin, kuka lyö tänään välitunnilla",
            "toivon että pääsisin kuntoutukseen",
            "jag önskar att jag hade mer tid med barnen",
            "I wish I was better at saving money",
            "jag har verkligen inga självmordstankar, tvärtom, jag vill leva",
            "minulla ei ole itsemurha-ajatuksia, mutta olen väsynyt",
            "en ole itsetuhoinen, haluan vain nukkua",
            "I'm not suicidal, just very tired",
            "I don't want to live on my own any more, the dorm is lonely",
            "en halua elää yksin koko elämääni",
            "jag vill inte leva med en som dricker",
            "en halua elää mieheni kanssa enää",
            "I don't want to live with my parents after school",
            "my mom hits me when I'm at home",
            "Now my brother has stopped his education and went on taking soft drugs, and since I left for studies he has become more and more abusive towards our mother. She tells me that he pushes her and hits her.",
            "haluan päästä eroon tästä velasta",
            "vertaistuki toi merkitystä elämään",
            "mikä tuo merkitystä elämään eläkkeellä",
            "I wake up early and wish I had more time",
            "jag vill inte vakna klockan fem",
        ] {
            assert_eq!(assess(text), Crisis::default(), "{text}");
        }
    }

    #[test]
    fn kinds_are_told_apart() {
        assert_eq!(assess("haluan kuolla"), Crisis { self_harm: true, violence: false });
        assert_eq!(assess("mies uhkaa mua puukolla"), Crisis { self_harm: false, violence: true });
    }

    #[test]
    fn the_rules_read_typed_text_as_normalised() {
        assert!(assess("  I DON’T want to live!!!  ").self_harm);
    }
}
