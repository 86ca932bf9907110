//! Logging in once and restoring the session afterwards.
//!
//! The first start logs in (password) or adopts a token, and saves the session together
//! with the passphrase of the encrypted SQLite store in `<store>/session.json` (mode 0600).
//! Later starts restore it: the device, its encryption keys and the sync position survive
//! restarts, so the bot neither becomes a new device each time nor replays old messages.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::config::RequestConfig;
use matrix_sdk::ruma::{OwnedDeviceId, OwnedUserId};
use matrix_sdk::{Client, SessionMeta, SessionTokens};
use serde::{Deserialize, Serialize};

use super::config::{Config, Credentials};

#[derive(Serialize, Deserialize)]
struct SavedSession {
    homeserver: String,
    passphrase: String,
    session: MatrixSession,
}

/// Where the bot keeps its files inside `matrix.store`.
pub struct Paths {
    pub session: PathBuf,
    pub matrix_store: PathBuf,
    pub bot_store: PathBuf,
}

impl Paths {
    pub fn new(store: &Path) -> Self {
        Self {
            session: store.join("session.json"),
            matrix_store: store.join("matrix"),
            bot_store: store.join("lahiapu.sqlite3"),
        }
    }
}

/// Requests are retried a bounded number of times (`M_LIMIT_EXCEEDED` waits the time the
/// server asks for), and each attempt has a timeout.
pub fn request_config() -> RequestConfig {
    RequestConfig::new().retry_limit(5).timeout(Duration::from_secs(60))
}

/// A logged-in client, from the saved session or a fresh login.
pub async fn connect(config: &Config, credentials: Credentials) -> Result<Client> {
    let paths = Paths::new(&config.matrix.store);
    std::fs::create_dir_all(&config.matrix.store)
        .with_context(|| format!("cannot create the store folder {}", config.matrix.store.display()))?;
    if paths.session.exists() {
        return restore(config, &paths).await;
    }
    // A Matrix store without a session is left from a failed first login; its encryption
    // passphrase is lost, so start it afresh.
    if paths.matrix_store.exists() {
        std::fs::remove_dir_all(&paths.matrix_store).context("cannot remove the stale Matrix store")?;
    }
    let passphrase: String = (0..32).map(|_| format!("{:02x}", rand::random::<u8>())).collect();
    let client = build(config, &paths, &passphrase).await?;
    match credentials {
        Credentials::Password(password) => {
            client
                .matrix_auth()
                .login_username(&config.matrix.user, &password)
                .initial_device_display_name(&config.matrix.device_name)
                .send()
                .await
                .context("login failed")?;
        }
        Credentials::AccessToken { token, device_id } => {
            let user_id: OwnedUserId = config.matrix.user.parse().context("matrix.user is not a Matrix ID")?;
            let device_id: OwnedDeviceId = device_id.into();
            let session = MatrixSession {
                meta: SessionMeta { user_id, device_id },
                tokens: SessionTokens { access_token: token, refresh_token: None },
            };
            client.restore_session(session).await.context("cannot use the access token")?;
            client.whoami().await.context("the homeserver does not accept the access token")?;
        }
    }
    let session = client.matrix_auth().session().context("logged in, but the client has no session")?;
    save(&paths.session, &SavedSession { homeserver: config.matrix.homeserver.clone(), passphrase, session })?;
    tracing::info!("logged in and saved the session");
    Ok(client)
}

async fn restore(config: &Config, paths: &Paths) -> Result<Client> {
    let text = std::fs::read_to_string(&paths.session).context("cannot read the saved session")?;
    let saved: SavedSession =
        serde_json::from_str(&text).context("the saved session is damaged; remove it to log in again")?;
    if saved.homeserver != config.matrix.homeserver || saved.session.meta.user_id.as_str() != config.matrix.user {
        bail!(
            "the saved session in {} belongs to another homeserver or user; use another store folder",
            paths.session.display()
        );
    }
    let client = build(config, paths, &saved.passphrase).await?;
    client.restore_session(saved.session).await.context("cannot restore the saved session")?;
    tracing::info!("restored the saved session");
    Ok(client)
}

async fn build(config: &Config, paths: &Paths, passphrase: &str) -> Result<Client> {
    Client::builder()
        .homeserver_url(&config.matrix.homeserver)
        .sqlite_store(&paths.matrix_store, Some(passphrase))
        .request_config(request_config())
        .build()
        .await
        .context("cannot create the Matrix client")
}

fn save(path: &Path, saved: &SavedSession) -> Result<()> {
    let json = serde_json::to_string_pretty(saved)?;
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, json).context("cannot write the session")?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))?;
    }
    std::fs::rename(&tmp, path).context("cannot save the session")?;
    Ok(())
}
