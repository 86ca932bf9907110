//! Logging in once and restoring the session afterwards; the bot's encryption set-up.
//!
//! The first start logs in (password) or adopts a token, and saves the session together
//! with the passphrase of the encrypted SQLite store in `<store>/session.json` (0600). Later
//! starts restore it and need no password: the device, its encryption keys and the sync
//! position survive restarts, so the bot neither becomes a new device each time nor replays
//! old messages. A restored session is checked with `whoami`; a revoked one is a clear error.
//!
//! Encryption: cross-signing is bootstrapped at the first login, and key backup is set up
//! with a recovery key saved in `<store>/recovery-key` (0600): with it (and the session) the
//! bot's room keys survive the loss of its Matrix store.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::config::RequestConfig;
use matrix_sdk::encryption::recovery::RecoveryState;
use matrix_sdk::encryption::{BackupDownloadStrategy, EncryptionSettings};
use matrix_sdk::ruma::api::error::ErrorKind;
use matrix_sdk::ruma::{OwnedDeviceId, OwnedUserId};
use matrix_sdk::{Client, SessionMeta, SessionTokens};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use tracing::{info, warn};

use super::config::{Config, Credentials};
use super::private;

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
    pub pseudonym_key: PathBuf,
    pub recovery_key: PathBuf,
}

impl Paths {
    pub fn new(store: &Path) -> Self {
        Self {
            session: store.join("session.json"),
            matrix_store: store.join("matrix"),
            bot_store: store.join("lahiapu.sqlite3"),
            pseudonym_key: store.join("pseudonym.key"),
            recovery_key: store.join("recovery-key"),
        }
    }
}

/// Requests are retried a bounded number of times (`M_LIMIT_EXCEEDED` waits the time the
/// server asks for), and each attempt has a timeout, so nothing waits forever.
pub fn request_config() -> RequestConfig {
    RequestConfig::new().retry_limit(3).timeout(Duration::from_secs(40))
}

/// A logged-in client, from the saved session or a first login. `env` reads the secrets
/// of a first login from the environment ([`Config::credentials`]).
pub async fn connect(config: &Config, env: impl Fn(&str) -> Option<String>) -> Result<Client> {
    let paths = Paths::new(&config.matrix.store);
    private::create_private_dir(&config.matrix.store)?;
    if paths.session.exists() {
        return restore(config, &paths).await;
    }
    let credentials = config.credentials(env)?;
    if paths.matrix_store.exists() {
        // Left from a first login that failed: its encryption passphrase is lost with the
        // session file, so it cannot be opened again.
        warn!(
            store = %paths.matrix_store.display(),
            "no saved session but a Matrix store: removing the store to log in afresh (a new device)"
        );
        std::fs::remove_dir_all(&paths.matrix_store).context("cannot remove the stale Matrix store")?;
    }
    let passphrase = hex::encode(rand::random::<[u8; 32]>());
    let client = build(config, &paths, &passphrase).await?;
    match credentials {
        Credentials::Password(password) => {
            client
                .matrix_auth()
                .login_username(&config.matrix.user, password.expose_secret())
                .initial_device_display_name(&config.matrix.device_name)
                .send()
                .await
                .context("login failed")?;
        }
        Credentials::AccessToken { token, device_id } => {
            let user_id: OwnedUserId = config.matrix.user.parse().context("matrix.user is not a Matrix ID")?;
            let device_id: OwnedDeviceId = device_id.into();
            let tokens = SessionTokens { access_token: token.expose_secret().to_owned(), refresh_token: None };
            let session = MatrixSession { meta: SessionMeta { user_id, device_id }, tokens };
            client.restore_session(session).await.context("cannot use the access token")?;
            client.whoami().await.context("the homeserver does not accept the access token")?;
        }
    }
    let session = client.matrix_auth().session().context("logged in, but the client has no session")?;
    let saved = SavedSession { homeserver: config.matrix.homeserver.clone(), passphrase, session };
    private::write_private(&paths.session, serde_json::to_string_pretty(&saved)?.as_bytes())
        .context("cannot save the session")?;
    info!("logged in and saved the session");
    Ok(client)
}

async fn restore(config: &Config, paths: &Paths) -> Result<Client> {
    let text = std::fs::read_to_string(&paths.session).context("cannot read the saved session")?;
    let saved: SavedSession = serde_json::from_str(&text).context("the saved session is damaged")?;
    if saved.homeserver != config.matrix.homeserver || saved.session.meta.user_id.as_str() != config.matrix.user {
        bail!(
            "the saved session in {} belongs to another homeserver or user; use another store folder",
            paths.session.display()
        );
    }
    let client = build(config, paths, &saved.passphrase).await?;
    client.restore_session(saved.session).await.context("cannot restore the saved session")?;
    match client.whoami().await {
        Ok(_) => {}
        Err(e) if matches!(e.client_api_error_kind(), Some(ErrorKind::UnknownToken(_))) => bail!(
            "the homeserver no longer accepts the bot's saved session (it was logged out or its token revoked). \
             To log in again as a new device, move {} and {} away and start with a password or token",
            paths.session.display(),
            paths.matrix_store.display()
        ),
        // The homeserver may be down for now: the sync loop waits for it.
        Err(e) => warn!(error = %super::redact::error(&e), "cannot check the saved session yet"),
    }
    info!("restored the saved session");
    Ok(client)
}

async fn build(config: &Config, paths: &Paths, passphrase: &str) -> Result<Client> {
    let encryption = EncryptionSettings {
        auto_enable_cross_signing: true,
        backup_download_strategy: BackupDownloadStrategy::AfterDecryptionFailure,
        auto_enable_backups: false,
    };
    Client::builder()
        .homeserver_url(&config.matrix.homeserver)
        .sqlite_store(&paths.matrix_store, Some(passphrase))
        .request_config(request_config())
        .with_encryption_settings(encryption)
        .build()
        .await
        .context("cannot create the Matrix client")
}

/// Sets up key backup with a recovery key, once, after the first sync (when the client
/// knows the account's secret storage), and saves the key in `<store>/recovery-key`.
pub async fn ensure_recovery(client: &Client, store: &Path) {
    let path = Paths::new(store).recovery_key;
    let recovery = client.encryption().recovery();
    if path.exists() || recovery.state() == RecoveryState::Enabled {
        return;
    }
    if recovery.state() != RecoveryState::Disabled {
        // Secret storage exists but this device lacks secrets (another device set it up):
        // leave it to an operator with the key.
        warn!(state = ?recovery.state(), "key backup is set up elsewhere for this account; not changing it");
        return;
    }
    match recovery.enable().await {
        Ok(key) => match private::write_private(&path, key.as_bytes()) {
            Ok(()) => info!(path = %path.display(), "key backup enabled; keep the recovery key secret and backed up"),
            Err(e) => warn!(error = %format!("{e:#}"), "key backup enabled, but the recovery key could not be saved"),
        },
        Err(e) => warn!(error = %super::redact::error(&e), "cannot enable key backup"),
    }
}
