//! Password hashing with argon2id at the crate's defaults (19 MiB, two
//! passes, one lane). Hashing is deliberately slow, so it runs on threads
//! of its own and never stalls the async workers serving other requests.
//!
//! Each hash takes 19 MiB, so there is one hashing thread per core, with a
//! short queue in front. A flood of sign-ins beyond that is told "busy" at
//! once instead of allocating gigabytes. Few, long-lived threads matter as
//! much as the cap: the allocator keeps a freed 19 MiB block for reuse in
//! the thread that had it, so hashes spread over tokio's many blocking
//! threads would each leave one behind.
//!
//! Layer: platform.

use argon2::{
    password_hash::{rand_core::OsRng, Output, ParamsString, PasswordHash, Salt, SaltString},
    Algorithm, Argon2, Block, Params, Version,
};
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Arc, Mutex, OnceLock};
use tokio::sync::{oneshot, Semaphore};

/// Hashing or checking a password failed (not a wrong password).
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("the hashing thread stopped before answering")]
    Stopped,
    /// Every hashing thread is busy and the queue in front is full.
    #[error("too many passwords are being checked at once")]
    Busy,
}

type Job = Box<dyn FnOnce() + Send>;

/// The hashing threads and the queue in front of them: `admitted` holds a
/// permit for every hash that runs or waits. One per console (in its
/// state), sized to the machine.
pub struct Gate {
    admitted: Arc<Semaphore>,
    jobs: mpsc::Sender<Job>,
}

/// Hashes that may wait for a free thread, per thread.
const QUEUED_PER_CORE: usize = 4;

impl std::fmt::Debug for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gate")
            .field("free", &self.admitted.available_permits())
            .finish()
    }
}

impl Default for Gate {
    /// One hashing thread per core of this machine.
    fn default() -> Self {
        Gate::for_cores(concurrent_limit())
    }
}

impl Gate {
    pub fn for_cores(cores: usize) -> Self {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..cores {
            let queue = queue.clone();
            let started = std::thread::Builder::new()
                .name(format!("password-hashing-{n}"))
                .spawn(move || loop {
                    let next = match queue.lock() {
                        Ok(queue) => queue.recv(),
                        Err(poisoned) => poisoned.into_inner().recv(),
                    };
                    let Ok(job) = next else { return };
                    // A panicking hash fails its own request, not the thread.
                    let _ = catch_unwind(AssertUnwindSafe(job));
                });
            if let Err(error) = started {
                tracing::error!(%error, "starting a password hashing thread failed");
            }
        }
        Gate {
            admitted: Arc::new(Semaphore::new(cores * (1 + QUEUED_PER_CORE))),
            jobs,
        }
    }

    /// Runs `work` on a hashing thread once one is free; `Busy` at once if
    /// too many are already waiting. The permit moves into the job, so a
    /// request dropped mid-hash holds its place until the hash ends.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, HashError> + Send + 'static,
    ) -> Result<T, HashError> {
        let admitted = self
            .admitted
            .clone()
            .try_acquire_owned()
            .map_err(|_| HashError::Busy)?;
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _held = admitted;
            let _ = answer.send(work());
        });
        self.jobs.send(job).map_err(|_| HashError::Stopped)?;
        answered.await.map_err(|_| HashError::Stopped)?
    }
}

/// How many passwords may be hashed at the same moment: one per core.
pub fn concurrent_limit() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// The argon2id hash of `password`, computed on a hashing thread.
pub async fn hash(gate: &Gate, password: String) -> Result<String, HashError> {
    gate.run(move || hash_now(&password)).await
}

/// The 19 MiB each hash works in, kept by the hashing thread that made it
/// and reused for its next hash. Left to the allocator, every hash took a
/// fresh 19 MiB that the process then kept: ten sign-ins in a row grew it
/// by 190 MiB.
fn with_memory<T>(blocks: usize, work: impl FnOnce(&mut [Block]) -> T) -> T {
    thread_local! {
        static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
    }
    MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        work(&mut memory[..blocks])
    })
}

fn failed(error: impl std::fmt::Display) -> HashError {
    HashError::Hash(error.to_string())
}

/// The raw argon2 output of `password` with `salt`, in the thread's memory.
fn derive(
    argon: &Argon2<'_>,
    password: &[u8],
    salt: &Salt<'_>,
    out: &mut [u8],
) -> Result<(), HashError> {
    let mut salt_bytes = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_bytes).map_err(failed)?;
    with_memory(argon.params().block_count(), |memory| {
        argon.hash_password_into_with_memory(password, salt, out, memory)
    })
    .map_err(failed)
}

fn hash_now(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    let argon = Argon2::default();
    let length = argon
        .params()
        .output_len()
        .unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let mut out = vec![0u8; length];
    derive(&argon, password.as_bytes(), &salt.as_salt(), &mut out)?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon.params()).map_err(failed)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(failed)?),
    };
    Ok(hash.to_string())
}

/// Whether `password` gives `stored` (a PHC string), compared in constant
/// time.
fn matches_now(password: &str, stored: &str) -> Result<bool, HashError> {
    let parsed = PasswordHash::new(stored).map_err(failed)?;
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(failed)?;
    let version = match parsed.version {
        Some(version) => Version::try_from(version).map_err(failed)?,
        None => Version::default(),
    };
    let params = Params::try_from(&parsed).map_err(failed)?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(HashError::Hash(
            "the stored hash has no salt or output".into(),
        ));
    };
    let argon = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    derive(&argon, password.as_bytes(), &salt, &mut out)?;
    // `Output` compares in constant time.
    Ok(Output::new(&out).map_err(failed)? == expected)
}

/// Checks `password` against a stored hash. With no stored hash (no such
/// account) it checks against a hash of a random password instead, so an
/// unknown e-mail address takes as long as a wrong password and the two
/// cannot be told apart.
pub async fn verify(
    gate: &Gate,
    password: String,
    stored: Option<String>,
) -> Result<bool, HashError> {
    gate.run(move || {
        let known = stored.is_some();
        let hash = match stored {
            Some(hash) => hash,
            None => dummy_hash()?.to_string(),
        };
        Ok(matches_now(&password, &hash)? && known)
    })
    .await
}

fn dummy_hash() -> Result<&'static str, HashError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash);
    }
    let mut random = [0u8; 32];
    rand::RngCore::fill_bytes(&mut OsRng, &mut random);
    let hash = hash_now(&format!("{random:?}"))?;
    Ok(DUMMY.get_or_init(|| hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let gate = Gate::for_cores(1);
        let stored = hash(&gate, "correct horse battery".into()).await.unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(
            verify(&gate, "correct horse battery".into(), Some(stored.clone()))
                .await
                .unwrap()
        );
        assert!(!verify(&gate, "wrong horse battery".into(), Some(stored))
            .await
            .unwrap());
    }

    #[test]
    fn hashes_stored_by_earlier_versions_still_verify() {
        use argon2::password_hash::PasswordHasher;
        let salt = SaltString::generate(&mut OsRng);
        let earlier = Argon2::default()
            .hash_password(b"correct horse battery", &salt)
            .unwrap()
            .to_string();
        assert!(matches_now("correct horse battery", &earlier).unwrap());
        assert!(!matches_now("correct horse batterz", &earlier).unwrap());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_flood_hashes_at_most_one_password_per_core_and_turns_the_rest_away_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let gate = Arc::new(Gate::for_cores(2));
        let attempts = (0..200).map(|_| {
            let (running, most, gate) = (running.clone(), most.clone(), gate.clone());
            tokio::spawn(async move {
                gate.run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                    Ok(())
                })
                .await
            })
        });
        let answers = futures_util::future::join_all(attempts).await;
        let busy = answers
            .iter()
            .filter(|answer| matches!(answer, Ok(Err(HashError::Busy))))
            .count();
        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert!(busy >= 200 - 2 * (1 + QUEUED_PER_CORE), "{busy}");
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies_even_with_the_dummy_password() {
        let gate = Gate::for_cores(1);
        assert!(!verify(&gate, "anything".into(), None).await.unwrap());
        assert!(!verify(&gate, String::new(), None).await.unwrap());
    }
}
