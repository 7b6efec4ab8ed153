//! Provider keys at rest: AES-256-GCM under a master key the operator
//! holds, never in the database. Each ciphertext records the id of the
//! master key that sealed it, so a new master key can take over while the
//! old ones still open what they sealed. The associated data binds a
//! ciphertext to its workspace, provider and row: copied into another row
//! it no longer opens.
//!
//! Layer: platform.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretBox, SecretString};

const NONCE_BYTES: usize = 12;

/// One master key and the id stored beside what it sealed.
pub struct MasterKey {
    id: String,
    key: SecretBox<[u8; 32]>,
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MasterKey({})", self.id)
    }
}

/// The master keys the server knows: the first seals, all open.
#[derive(Debug)]
pub struct MasterKeys {
    keys: Vec<MasterKey>,
}

/// A key sealed under a master key, as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct Sealed {
    pub master_key_id: String,
    pub nonce: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

/// Master keys the configuration gave that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MasterKeyError {
    #[error("no master key given")]
    Empty,
    #[error(
        "master key entry {0} is not `id:64-hex-digits` (id: letters, digits, '-', at most 32)"
    )]
    Malformed(usize),
    #[error("master key id \"{0}\" appears twice")]
    DuplicateId(String),
}

/// Why a sealed key did not open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    #[error("sealed under master key \"{0}\", which this server does not have")]
    UnknownMasterKey(String),
    #[error("the ciphertext does not open: altered, moved to another row, or a wrong master key")]
    Rejected,
}

impl MasterKeys {
    /// Reads `id:hex` entries separated by newlines or commas; `#` starts a
    /// comment. The first entry is the current key.
    pub fn parse(text: &str) -> Result<Self, MasterKeyError> {
        let mut keys: Vec<MasterKey> = Vec::new();
        let entries = text
            .lines()
            .map(|line| line.split('#').next().unwrap_or_default())
            .flat_map(|line| line.split(','))
            .map(str::trim)
            .filter(|entry| !entry.is_empty());
        for (index, entry) in entries.enumerate() {
            let key = parse_entry(entry).ok_or(MasterKeyError::Malformed(index + 1))?;
            if keys.iter().any(|known| known.id == key.id) {
                return Err(MasterKeyError::DuplicateId(key.id));
            }
            keys.push(key);
        }
        if keys.is_empty() {
            return Err(MasterKeyError::Empty);
        }
        Ok(MasterKeys { keys })
    }

    /// A fresh `id:hex` entry for a new master key.
    pub fn generate_entry() -> String {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let mut id = [0u8; 4];
        rand::rngs::OsRng.fill_bytes(&mut id);
        format!("mk-{}:{}", hex::encode(id), hex::encode(bytes))
    }

    /// The id of the master key new keys are sealed with.
    pub fn current_id(&self) -> &str {
        &self.keys[0].id
    }

    /// Seals `secret` under the current master key, bound to `associated`.
    pub fn seal(&self, secret: &SecretString, associated: &str) -> Sealed {
        let current = &self.keys[0];
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let ciphertext = cipher(current)
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: secret.expose_secret().as_bytes(),
                    aad: associated.as_bytes(),
                },
            )
            // Only fails for messages beyond 64 GiB.
            .unwrap_or_default();
        Sealed {
            master_key_id: current.id.clone(),
            nonce: nonce.to_vec(),
            ciphertext,
        }
    }

    /// Opens `sealed`, if it was sealed with one of these master keys for `associated`.
    pub fn open(&self, sealed: &Sealed, associated: &str) -> Result<SecretString, OpenError> {
        let key = self
            .keys
            .iter()
            .find(|key| key.id == sealed.master_key_id)
            .ok_or_else(|| OpenError::UnknownMasterKey(sealed.master_key_id.clone()))?;
        if sealed.nonce.len() != NONCE_BYTES {
            return Err(OpenError::Rejected);
        }
        let plain = cipher(key)
            .decrypt(
                Nonce::from_slice(&sealed.nonce),
                Payload {
                    msg: &sealed.ciphertext,
                    aad: associated.as_bytes(),
                },
            )
            .map_err(|_| OpenError::Rejected)?;
        String::from_utf8(plain)
            .map(SecretString::from)
            .map_err(|_| OpenError::Rejected)
    }
}

/// What a key's ciphertext is bound to: its workspace, provider, row and
/// the base URL it is sent to, so that someone who can write to the
/// database cannot point a sealed key at an endpoint of their own.
pub fn associated_data(
    workspace: &str,
    provider: &str,
    row_id: &str,
    base_url: Option<&str>,
) -> String {
    let base_url = base_url.unwrap_or_default();
    format!("provider-key/2\n{workspace}\n{provider}\n{row_id}\n{base_url}")
}

/// What keys sealed before the base URL was bound in were bound to: only
/// read once, by the upgrade that re-seals them.
pub fn associated_data_before_base_urls(workspace: &str, provider: &str, row_id: &str) -> String {
    format!("provider-key\n{workspace}\n{provider}\n{row_id}")
}

fn cipher(key: &MasterKey) -> Aes256Gcm {
    Aes256Gcm::new(key.key.expose_secret().into())
}

fn parse_entry(entry: &str) -> Option<MasterKey> {
    let (id, hex_key) = entry.split_once(':')?;
    let id = id.trim();
    let id_ok = !id.is_empty()
        && id.len() <= 32
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let hex_key = hex_key.trim();
    if !id_ok || hex_key.len() != 64 {
        return None;
    }
    let mut key = [0u8; 32];
    hex::decode_to_slice(hex_key, &mut key).ok()?;
    Some(MasterKey {
        id: id.to_string(),
        key: SecretBox::new(Box::new(key)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn keys(text: &str) -> MasterKeys {
        MasterKeys::parse(text).unwrap()
    }

    fn one() -> String {
        format!("one:{}", "11".repeat(32))
    }

    fn two() -> String {
        format!("two:{}", "22".repeat(32))
    }

    proptest! {
        #[test]
        fn what_is_sealed_opens_with_the_same_associated_data(
            secret in "[ -~]{0,200}",
            workspace in "[a-z0-9]{1,12}",
            row in "[a-f0-9]{1,32}",
        ) {
            let keys = keys(&one());
            let aad = associated_data(&workspace, "openai", &row, None);
            let sealed = keys.seal(&SecretString::from(secret.clone()), &aad);
            let opened = keys.open(&sealed, &aad).unwrap();
            prop_assert_eq!(opened.expose_secret(), secret.as_str());
            prop_assert!(!sealed.ciphertext.windows(secret.len().max(1)).any(|w| w == secret.as_bytes()) || secret.len() < 4);
        }

        #[test]
        fn any_altered_byte_makes_it_fail(
            secret in "[ -~]{1,100}",
            position in any::<prop::sample::Index>(),
            flip in 1u8..=255,
            in_nonce in any::<bool>(),
        ) {
            let keys = keys(&one());
            let aad = associated_data("acme", "openai", "row1", None);
            let mut sealed = keys.seal(&SecretString::from(secret), &aad);
            let bytes = if in_nonce { &mut sealed.nonce } else { &mut sealed.ciphertext };
            let at = position.index(bytes.len());
            bytes[at] ^= flip;
            prop_assert_eq!(keys.open(&sealed, &aad).unwrap_err(), OpenError::Rejected);
        }

        #[test]
        fn other_associated_data_makes_it_fail(
            secret in "[ -~]{1,100}",
            (a, b) in ("[a-z]{1,8}", "[a-z]{1,8}").prop_filter("differ", |(a, b)| a != b),
        ) {
            let keys = keys(&one());
            let sealed = keys.seal(&SecretString::from(secret), &associated_data(&a, "openai", "r", None));
            for other in [
                associated_data(&b, "openai", "r", None),
                associated_data(&a, "anthropic", "r", None),
                associated_data(&a, "openai", "s", None),
                associated_data(&a, "openai", "r", Some("https://evil.example/v1")),
            ] {
                prop_assert_eq!(keys.open(&sealed, &other).unwrap_err(), OpenError::Rejected);
            }
        }

        #[test]
        fn a_wrong_master_key_under_the_same_id_fails(secret in "[ -~]{1,100}") {
            let sealed = keys(&one()).seal(&SecretString::from(secret), "aad");
            let impostor = keys(&format!("one:{}", "33".repeat(32)));
            prop_assert_eq!(impostor.open(&sealed, "aad").unwrap_err(), OpenError::Rejected);
        }
    }

    #[test]
    fn after_rotation_new_keys_seal_and_old_ones_still_open() {
        let before = keys(&one());
        let sealed = before.seal(&SecretString::from("sk-old".to_string()), "aad");
        let after = keys(&format!("{}\n{}", two(), one()));
        assert_eq!(
            after.open(&sealed, "aad").unwrap().expose_secret(),
            "sk-old"
        );
        let resealed = after.seal(&SecretString::from("sk-new".to_string()), "aad");
        assert_eq!(resealed.master_key_id, "two");
        assert_eq!(
            keys(&two()).open(&sealed, "aad").unwrap_err(),
            OpenError::UnknownMasterKey("one".into())
        );
    }

    #[test]
    fn master_key_text_is_checked() {
        assert_eq!(
            MasterKeys::parse(" # nothing\n").unwrap_err(),
            MasterKeyError::Empty
        );
        assert_eq!(
            MasterKeys::parse("one:abc").unwrap_err(),
            MasterKeyError::Malformed(1)
        );
        assert_eq!(
            MasterKeys::parse(&format!("{},{}", one(), one())).unwrap_err(),
            MasterKeyError::DuplicateId("one".into())
        );
        let generated = MasterKeys::generate_entry();
        assert!(MasterKeys::parse(&generated).is_ok(), "{generated}");
        assert_ne!(generated, MasterKeys::generate_entry());
    }
}
