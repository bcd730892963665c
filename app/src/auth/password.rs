//! Password hashing with argon2id (OWASP minimum: m=19456 KiB, t=2, p=1).
//!
//! Hashing is CPU-heavy by design, so it runs in `spawn_blocking` behind a
//! semaphore sized to the cores: a burst of sign-ins queues instead of
//! starving the request threads.

use std::sync::{Arc, OnceLock};

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};
use tokio::sync::Semaphore;

pub const M_COST: u32 = 19_456;
pub const T_COST: u32 = 2;
pub const P_COST: u32 = 1;

fn argon2() -> Argon2<'static> {
    let params = Params::new(M_COST, T_COST, P_COST, None).expect("valid argon2 params");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The common-password list shipped with the app: Django's
/// `common-passwords.txt` (20,000 passwords, Royce Williams' list), keeping
/// those of 8+ characters since shorter ones fail the length rule anyway.
pub fn is_common(password: &str) -> bool {
    static LIST: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| include_str!("common-passwords.txt").lines().collect())
        .contains(password.to_lowercase().as_str())
}

/// Whether a stored PHC string uses weaker parameters than today's.
pub fn needs_rehash(phc: &str) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else {
        return true;
    };
    if hash.algorithm.as_str() != "argon2id" {
        return true;
    }
    let get = |name: &str| hash.params.get_decimal(name).unwrap_or(0);
    get("m") < M_COST || get("t") < T_COST || get("p") < P_COST
}

fn hash_sync(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

fn verify_sync(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        // Verify with the parameters stored in the hash (old ones included).
        Ok(hash) => Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash with today's parameters (a unit test checks them) of a password
/// no one has: unknown emails are verified against it so they take as long
/// as a wrong password for a real account. A constant rather than hashed at
/// start-up: that hash put 19 MiB in the process's memory while it ran.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$H3e0acshQGh5qbNVMP3xrw$5Qock1hi2vzTFMGOj0MUE9Td/pkjyhFZO40DJCHaNwM";

fn dummy_hash() -> &'static str {
    DUMMY_HASH
}

#[derive(Clone, Debug)]
pub struct Hasher {
    permits: Arc<Semaphore>,
}

impl Default for Hasher {
    fn default() -> Self {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        Hasher {
            permits: Arc::new(Semaphore::new(cores)),
        }
    }
}

impl Hasher {
    pub async fn hash(&self, password: String) -> Result<String, String> {
        let _permit = self.permits.acquire().await.map_err(|e| e.to_string())?;
        tokio::task::spawn_blocking(move || hash_sync(&password))
            .await
            .map_err(|e| e.to_string())?
    }

    /// Verifies `password` against `phc`, or against the dummy hash when
    /// there is no account (same cost, always false).
    pub async fn verify(&self, password: String, phc: Option<String>) -> bool {
        let Ok(_permit) = self.permits.acquire().await else {
            return false;
        };
        tokio::task::spawn_blocking(move || match phc {
            Some(phc) => verify_sync(&password, &phc),
            None => {
                let _ = verify_sync(&password, dummy_hash());
                false
            }
        })
        .await
        .unwrap_or(false)
    }

    /// Loads the common-password list ahead of the first registration.
    pub fn warm_up(&self) {
        tokio::task::spawn_blocking(|| {
            let _ = is_common("");
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_does() {
        assert!(!needs_rehash(DUMMY_HASH), "today's parameters");
        assert!(verify_sync("dummy password for timing equality", DUMMY_HASH));
        assert!(!verify_sync("anything else", DUMMY_HASH));
    }

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let h = Hasher::default();
        let phc = h.hash("correct horse battery".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(!needs_rehash(&phc));
        assert!(
            h.verify("correct horse battery".into(), Some(phc.clone()))
                .await
        );
        assert!(!h.verify("wrong horse battery".into(), Some(phc)).await);
        assert!(!h.verify("anything".into(), None).await);
    }

    #[test]
    fn weaker_hashes_need_rehash() {
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8, 1, 1, None).unwrap(),
        )
        .hash_password(b"pw", &SaltString::generate(&mut OsRng))
        .unwrap()
        .to_string();
        assert!(needs_rehash(&weak));
        assert!(needs_rehash("not a phc string"));
    }

    #[test]
    fn common_passwords_are_known() {
        assert!(is_common("password1"));
        assert!(is_common("PASSWORD1"), "case-insensitive");
        assert!(is_common("iloveyou"));
        assert!(!is_common("a quiet violet tram"));
    }
}
