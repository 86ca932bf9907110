//! The bot's files and the pseudonyms it writes instead of Matrix IDs.
//!
//! Everything the bot keeps lives in one folder (`matrix.store`), readable by the bot's own
//! user only: the folder is 0700 and every file in it is created 0600 from the start (never
//! chmod-ed afterwards, which would leave a window in which others could read it).
//!
//! Matrix user, room and event IDs are replaced by keyed hashes (HMAC-SHA256) wherever they
//! only need to be recognised, not used. The key lives in its own file next to the bot's
//! database, not inside it: a copy of the database alone does not let anyone test which
//! person asked for help.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Creates `path` (and its parents) as a folder only the bot's user can enter, and tightens
/// the mode of an existing one.
pub fn create_private_dir(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(path)
            .with_context(|| format!("cannot create the folder {}", path.display()))?;
        fs::set_permissions(path, fs::Permissions::from_mode(0o700))
            .with_context(|| format!("cannot restrict the folder {} to the bot's user", path.display()))?;
    }
    #[cfg(not(unix))]
    fs::create_dir_all(path).with_context(|| format!("cannot create the folder {}", path.display()))?;
    Ok(())
}

/// Makes every file and folder this process creates private to its user (umask 077), so
/// that the stores matrix-sdk creates get the same modes as ours.
pub fn restrict_new_files() {
    #[cfg(unix)]
    // SAFETY: umask only changes the process's file-mode creation mask; it cannot fail and
    // touches no memory.
    unsafe {
        libc::umask(0o077);
    }
}

/// Writes `bytes` to `path` atomically (a temporary file renamed over it), with mode 0600
/// from the moment the file exists.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    let _ = fs::remove_file(&tmp);
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    file.write_all(bytes).and_then(|()| file.sync_all()).with_context(|| format!("cannot write {}", tmp.display()))?;
    fs::rename(&tmp, path).with_context(|| format!("cannot save {}", path.display()))?;
    Ok(())
}

/// Creates an empty file with mode 0600 unless it exists (so that SQLite opens a private
/// file; its journal files inherit the mode).
pub fn touch_private(path: &Path) -> Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).with_context(|| format!("cannot create {}", path.display()))?;
    Ok(())
}

/// Keyed pseudonyms: the same ID always gives the same pseudonym, and without the key no
/// one can tell whose it is.
#[derive(Clone)]
pub struct Pseudonyms {
    key: [u8; 32],
}

impl std::fmt::Debug for Pseudonyms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pseudonyms(…)")
    }
}

impl Pseudonyms {
    /// Reads the key from `path`, or makes a new random key and saves it there (0600).
    pub fn load_or_create(path: &Path) -> Result<Self> {
        if path.exists() {
            let text = fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            let bytes = hex::decode(text.trim()).with_context(|| format!("{} is damaged", path.display()))?;
            let Ok(key) = <[u8; 32]>::try_from(bytes.as_slice()) else {
                bail!("{} is damaged: expected 32 bytes of hex", path.display());
            };
            return Ok(Self { key });
        }
        let key: [u8; 32] = rand::random();
        write_private(path, hex::encode(key).as_bytes())?;
        Ok(Self { key })
    }

    /// A key for tests.
    pub fn for_tests() -> Self {
        Self { key: [7; 32] }
    }

    /// The pseudonym of a tuple of IDs (joined unambiguously), as 64 hex digits.
    pub fn of(&self, parts: &[&str]) -> String {
        hex::encode(self.mac(parts))
    }

    fn mac(&self, parts: &[&str]) -> [u8; 32] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        mac.finalize().into_bytes().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable_per_key_and_do_not_collide_across_splits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pseudonym.key");
        let a = Pseudonyms::load_or_create(&path).unwrap();
        let b = Pseudonyms::load_or_create(&path).unwrap();
        assert_eq!(a.of(&["!r", "@u:x"]), b.of(&["!r", "@u:x"]), "the saved key is read back");
        assert_ne!(a.of(&["!r", "@u:x"]), a.of(&["!r@", "u:x"]), "the parts are length-prefixed");
        assert_ne!(a.of(&["@u:x"]), Pseudonyms::for_tests().of(&["@u:x"]), "another key, another pseudonym");
        assert_eq!(a.of(&["x"]).len(), 64);
    }

    #[cfg(unix)]
    #[test]
    fn private_files_and_folders_are_for_the_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("store");
        create_private_dir(&folder).unwrap();
        assert_eq!(fs::metadata(&folder).unwrap().permissions().mode() & 0o777, 0o700);
        let file = folder.join("secret.json");
        write_private(&file, b"{}").unwrap();
        assert_eq!(fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        write_private(&file, b"{\"again\":1}").unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "{\"again\":1}");
        let db = folder.join("db.sqlite3");
        touch_private(&db).unwrap();
        assert_eq!(fs::metadata(&db).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
