//! `lahiapu.toml`: how the bot reaches its homeserver and which rooms it serves.
//! `lahiapu.example.toml` documents every key. Secrets may come from the environment
//! instead of the file (`LAHIAPU_PASSWORD`, `LAHIAPU_ACCESS_TOKEN`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use secrecy::SecretString;
use serde::Deserialize;

pub const PASSWORD_ENV: &str = "LAHIAPU_PASSWORD";
pub const ACCESS_TOKEN_ENV: &str = "LAHIAPU_ACCESS_TOKEN";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub matrix: MatrixConfig,
    #[serde(default)]
    pub bot: BotConfig,
    #[serde(default)]
    pub rooms: Vec<RoomConfig>,
    #[serde(default)]
    pub escalation: Option<EscalationConfig>,
    #[serde(default)]
    pub admins: AdminsConfig,
    #[serde(default)]
    pub limits: LimitsConfig,
    #[serde(default)]
    pub sending: SendingConfig,
    #[serde(default)]
    pub logging: LoggingConfig,
    #[serde(default)]
    pub maintainers: Option<MaintainersConfig>,
    #[serde(default)]
    pub metrics: MetricsConfig,
}

/// The knowledge maintainers' room: reload errors ("path:line:col: …"), "fixed", and the
/// weekly summary of the gap report go there.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaintainersConfig {
    pub room: String,
    /// The language of the bot's messages there.
    #[serde(default = "default_volunteer_language")]
    pub language: String,
    /// Post a summary of the gap report and the feedback there once a week.
    #[serde(default)]
    pub weekly_summary: bool,
}

/// `/metrics` and `/healthz` (off unless `listen` is set).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsConfig {
    /// A local address such as "127.0.0.1:9464".
    pub listen: Option<std::net::SocketAddr>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixConfig {
    /// e.g. "http://127.0.0.1:8008"
    pub homeserver: String,
    /// The bot's full Matrix ID, e.g. "@lahiapu:localhost".
    pub user: String,
    /// Needed only for the first login; the saved session is used afterwards.
    pub password: Option<SecretString>,
    pub access_token: Option<SecretString>,
    pub device_id: Option<String>,
    /// Folder for the SQLite stores and the saved session; created if missing.
    #[serde(default = "default_store")]
    pub store: PathBuf,
    /// The device name shown in clients' session lists.
    #[serde(default = "default_device_name")]
    pub device_name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BotConfig {
    #[serde(default = "default_knowledge")]
    pub knowledge: PathBuf,
    /// Answer questions sent while the bot was down, if they are at most this old.
    #[serde(default = "default_catch_up")]
    pub catch_up_minutes: u64,
    /// How long answered-event records are kept (they only need to outlive the catch-up
    /// window); at least one day.
    #[serde(default = "default_retention")]
    pub retention_days: u64,
    /// How long a message the bot cannot decrypt waits for its room key (which often comes
    /// a moment later) before the bot asks the sender to send it again.
    #[serde(default = "default_key_wait")]
    pub key_wait_seconds: u64,
    /// Reload the knowledge when its files change (it is also reloaded on `!reload` and
    /// SIGHUP).
    #[serde(default = "default_true")]
    pub watch_knowledge: bool,
}

fn default_true() -> bool {
    true
}

impl Default for BotConfig {
    fn default() -> Self {
        Self {
            knowledge: default_knowledge(),
            catch_up_minutes: default_catch_up(),
            retention_days: default_retention(),
            key_wait_seconds: default_key_wait(),
            watch_knowledge: true,
        }
    }
}

fn default_key_wait() -> u64 {
    15
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoomConfig {
    /// An alias ("#apu-turku:localhost") or a room ID ("!abc…").
    pub room: String,
    /// The default place for questions in this room (name or code).
    pub place: Option<String>,
    /// Answer question-like messages without a mention.
    #[serde(default)]
    pub answer_all: bool,
    /// The room's usual language, for very short messages.
    pub language: Option<String>,
}

/// The hand-over to NGO volunteers (off when the section is missing).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationConfig {
    /// The volunteers' room for residents of regions without a room of their own.
    pub volunteers_room: String,
    /// Rooms of volunteers for some welfare regions.
    #[serde(default)]
    pub rooms: Vec<VolunteerRoomConfig>,
    /// The NGOs whose trained volunteers answer (named to the resident before consent).
    pub organisations: Vec<String>,
    /// When volunteers are on duty (OpenStreetMap `opening_hours`, Finnish time).
    pub hours: Option<String>,
    /// The language of case texts in the volunteers' rooms.
    #[serde(default = "default_volunteer_language")]
    pub language: String,
    /// Only these may answer residents (default: every member of a volunteers' room).
    #[serde(default)]
    pub volunteers: Vec<String>,
    /// An open case nobody has answered is reminded in its room after this long.
    #[serde(default = "default_reminder")]
    pub reminder_minutes: u64,
    /// A case without messages this long closes itself.
    #[serde(default = "default_idle")]
    pub idle_days: u64,
    /// A consent question unanswered this long lapses (nothing is forwarded).
    #[serde(default = "default_consent_hours")]
    pub consent_hours: u64,
    /// The bot's messages of a closed case are deleted from the volunteers' room this long
    /// after the close; counts stay.
    #[serde(default = "default_case_retention")]
    pub retention_days: u64,
}

/// A volunteers' room for some welfare regions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolunteerRoomConfig {
    pub room: String,
    /// Welfare-region codes (knowledge/areas/welfare-regions-2026.csv).
    pub regions: Vec<String>,
}

fn default_volunteer_language() -> String {
    "fi".into()
}
fn default_reminder() -> u64 {
    30
}
fn default_idle() -> u64 {
    7
}
fn default_consent_hours() -> u64 {
    24
}
fn default_case_retention() -> u64 {
    30
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminsConfig {
    /// Matrix IDs allowed to invite the bot into rooms other than DMs.
    #[serde(default)]
    pub users: Vec<String>,
    /// Direct chats one person (not an admin) may open with the bot per hour.
    #[serde(default = "default_invites_per_hour")]
    pub invites_per_hour: u32,
}

impl Default for AdminsConfig {
    fn default() -> Self {
        Self { users: Vec::new(), invites_per_hour: default_invites_per_hour() }
    }
}

/// Answers allowed per sliding window; a flood gets one calm notice, then silence.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    #[serde(default = "default_per_user")]
    pub per_user: u32,
    #[serde(default = "default_per_room")]
    pub per_room: u32,
    #[serde(default = "default_global")]
    pub global: u32,
    #[serde(default = "default_window")]
    pub window_seconds: u64,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            per_user: default_per_user(),
            per_room: default_per_room(),
            global: default_global(),
            window_seconds: default_window(),
        }
    }
}

/// How many replies are sent to the homeserver at once (see `matrix::outbox`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendingConfig {
    /// Sends in flight at once, over all rooms.
    #[serde(default = "default_in_flight")]
    pub in_flight: u32,
    /// Of them, at most this many to one room (crisis replies have as many more of their own).
    #[serde(default = "default_in_flight_per_room")]
    pub per_room: u32,
}

impl Default for SendingConfig {
    fn default() -> Self {
        Self { in_flight: default_in_flight(), per_room: default_in_flight_per_room() }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoggingConfig {
    /// Log lines as JSON (for log collectors) instead of text.
    #[serde(default)]
    pub json: bool,
}

fn default_store() -> PathBuf {
    PathBuf::from("data/store")
}
fn default_device_name() -> String {
    "Lähiapu bot".into()
}
fn default_knowledge() -> PathBuf {
    PathBuf::from("knowledge")
}
fn default_catch_up() -> u64 {
    15
}
fn default_retention() -> u64 {
    7
}
fn default_per_user() -> u32 {
    8
}
fn default_per_room() -> u32 {
    30
}
fn default_in_flight() -> u32 {
    crate::matrix::outbox::IN_FLIGHT as u32
}
fn default_in_flight_per_room() -> u32 {
    crate::matrix::outbox::PER_ROOM as u32
}
fn default_global() -> u32 {
    300
}
fn default_invites_per_hour() -> u32 {
    3
}
fn default_window() -> u64 {
    60
}

/// How the bot logs in the first time.
#[derive(Debug, Clone)]
pub enum Credentials {
    Password(SecretString),
    AccessToken { token: SecretString, device_id: String },
}

impl Config {
    /// Reads and checks a config file; relative paths in it are relative to the file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let mut config = Self::parse(&text).with_context(|| format!("invalid config {}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        for p in [&mut config.matrix.store, &mut config.bot.knowledge] {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
        Ok(config)
    }

    /// Parses a config text (paths stay as written).
    pub fn parse(text: &str) -> Result<Self> {
        let config: Config = toml::from_str(text).map_err(|e| anyhow::anyhow!("{}", e.to_string().trim()))?;
        if !config.matrix.user.starts_with('@') || !config.matrix.user.contains(':') {
            bail!("matrix.user must be a full Matrix ID such as \"@lahiapu:example.org\"");
        }
        if let Some(m) = &config.maintainers {
            m.language.parse::<crate::lang::Lang>().context("maintainers.language")?;
        }
        if let Some(e) = &config.escalation {
            if e.organisations.is_empty() {
                bail!(
                    "escalation.organisations: name the NGOs whose volunteers answer (residents are told before they consent)"
                );
            }
            e.language.parse::<crate::lang::Lang>().context("escalation.language")?;
            if let Some(hours) = &e.hours
                && hours.parse::<opening_hours::OpeningHours>().is_err()
            {
                bail!("escalation.hours: {hours:?} is not OpenStreetMap opening_hours (e.g. \"Mo-Fr 09:00-21:00\")");
            }
        }
        let l = &config.limits;
        if l.per_user == 0 || l.per_room == 0 || l.global == 0 || l.window_seconds == 0 {
            bail!("limits (and limits.window_seconds) must be at least 1");
        }
        let s = &config.sending;
        if s.in_flight == 0 || s.per_room == 0 || s.per_room > s.in_flight {
            bail!("sending.in_flight and sending.per_room must be at least 1, and per_room at most in_flight");
        }
        Ok(config)
    }

    /// The credentials for a first login: from the environment first, then from the file.
    pub fn credentials(&self, env: impl Fn(&str) -> Option<String>) -> Result<Credentials> {
        let token = env(ACCESS_TOKEN_ENV).map(SecretString::from).or_else(|| self.matrix.access_token.clone());
        if let Some(token) = token {
            let Some(device_id) = self.matrix.device_id.clone() else {
                bail!("an access token needs matrix.device_id too");
            };
            return Ok(Credentials::AccessToken { token, device_id });
        }
        match env(PASSWORD_ENV).map(SecretString::from).or_else(|| self.matrix.password.clone()) {
            Some(password) => Ok(Credentials::Password(password)),
            None => bail!(
                "no credentials: set matrix.password (or {PASSWORD_ENV}), or matrix.access_token + matrix.device_id (or {ACCESS_TOKEN_ENV})"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "[matrix]\nhomeserver = \"http://127.0.0.1:8008\"\nuser = \"@lahiapu:localhost\"\n";

    #[test]
    fn the_example_config_parses_and_documents_every_section() {
        let example = include_str!("../../lahiapu.example.toml");
        let c = Config::parse(example).unwrap();
        assert_eq!(c.bot.catch_up_minutes, 15);
        assert_eq!(c.rooms[0].place.as_deref(), Some("Turku"));
        assert!(c.rooms[0].answer_all);
        let e = c.escalation.unwrap();
        assert_eq!(e.volunteers_room, "#vapaaehtoiset:localhost");
        assert_eq!(e.rooms[0].regions, ["17", "18"]);
        assert_eq!((e.reminder_minutes, e.idle_days, e.retention_days), (30, 7, 30));
        assert_eq!(c.admins.users, ["@admin:localhost"]);
    }

    #[test]
    fn defaults_fill_what_is_left_out() {
        let c = Config::parse(MINIMAL).unwrap();
        assert_eq!(c.matrix.store, PathBuf::from("data/store"));
        assert_eq!((c.limits.per_user, c.limits.window_seconds), (8, 60), "a resident may rephrase a few times");
        assert_eq!(c.admins.invites_per_hour, 3);
        assert!(c.rooms.is_empty());
    }

    #[test]
    fn unknown_keys_and_bad_ids_are_clear_errors() {
        let e = Config::parse(&format!("{MINIMAL}[bot]\ncatchup_minutes = 5\n")).unwrap_err().to_string();
        assert!(e.contains("unknown field `catchup_minutes`"), "{e}");
        assert!(e.contains("line 5"), "{e}");
        let e = Config::parse("[matrix]\nhomeserver = \"x\"\nuser = \"lahiapu\"\n").unwrap_err().to_string();
        assert!(e.contains("full Matrix ID"), "{e}");
    }

    fn password(c: Credentials) -> String {
        use secrecy::ExposeSecret;
        match c {
            Credentials::Password(p) => p.expose_secret().to_owned(),
            Credentials::AccessToken { .. } => panic!("expected a password"),
        }
    }

    #[test]
    fn secrets_from_the_environment_win_and_never_show_in_debug_output() {
        let c = Config::parse(&format!("{MINIMAL}password = \"file-secret\"\n")).unwrap();
        assert_eq!(password(c.credentials(|_| None).unwrap()), "file-secret");
        let env = |k: &str| (k == PASSWORD_ENV).then(|| "env".to_owned());
        assert_eq!(password(c.credentials(env).unwrap()), "env");
        assert!(!format!("{c:?}").contains("file-secret"), "{c:?}");
        assert!(!format!("{:?}", c.credentials(|_| None).unwrap()).contains("file-secret"));
        let env = |k: &str| (k == ACCESS_TOKEN_ENV).then(|| "tok".to_owned());
        assert!(c.credentials(env).unwrap_err().to_string().contains("device_id"));
        assert!(Config::parse(MINIMAL).unwrap().credentials(|_| None).is_err());
    }
}
