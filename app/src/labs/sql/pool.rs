//! The parent's side of the SQL sandbox: a small pool of worker processes
//! (`academy sql-worker`), each started with an address-space limit, no
//! right to write files, and SQLite's heap capped inside it.
//!
//! Why processes: SQLite's heap limit is process-wide, so inside the server
//! it would be shared with the real database; a worker holds nothing but
//! one run. A worker that dies or overruns its deadline is killed and
//! replaced, and the learner gets a sentence, never a hung page.

use std::{
    path::PathBuf,
    sync::Mutex,
    time::Duration,
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    process::{Child, ChildStdin, ChildStdout, Command},
    sync::Semaphore,
};

use super::{
    runner::{Job, RunError, RunOutput},
    worker::{Reply, Request, MAX_FRAME},
};

/// Address space of a worker: the binary, SQLite's capped heap, headroom.
const ADDRESS_SPACE: u64 = 1024 * 1024 * 1024;
/// How long a worker may take to answer before it is killed. Well above
/// the run's own limit: reaching it means the worker is stuck.
const DEADLINE: Duration = Duration::from_secs(3);

/// A snapshot the job runs on: a key and the seed that builds it.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub key: u64,
    pub seed: std::sync::Arc<str>,
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: ChildStdout,
    prepared: std::collections::HashSet<u64>,
}

/// The pool. Cheap to share (`Arc` it in the state).
pub struct SqlPool {
    exe: PathBuf,
    idle: Mutex<Vec<Worker>>,
    permits: Semaphore,
}

impl std::fmt::Debug for SqlPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlPool").field("exe", &self.exe).finish()
    }
}

/// Why the pool could not run a job (the run itself never got to answer).
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    #[error("the SQL worker could not start: {0}")]
    Start(std::io::Error),
    #[error("the SQL worker stopped: {0}")]
    Died(String),
    #[error("the dataset did not load: {0}")]
    Seed(String),
}

impl SqlPool {
    /// `exe` is the `academy` binary; `size` workers run at most at once.
    pub fn new(exe: PathBuf, size: usize) -> SqlPool {
        SqlPool {
            exe,
            idle: Mutex::new(Vec::new()),
            permits: Semaphore::new(size.max(1)),
        }
    }

    /// Runs `job` on `snapshot` in a worker. A worker killed for memory or
    /// time answers as the matching [`RunError`].
    pub async fn run(&self, snapshot: &Snapshot, job: Job) -> Result<RunOutput, PoolError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| PoolError::Died(e.to_string()))?;
        let idle = self.idle.lock().map(|mut v| v.pop()).unwrap_or(None);
        let mut worker = match idle {
            Some(w) => w,
            None => self.spawn()?,
        };
        match tokio::time::timeout(DEADLINE, converse(&mut worker, snapshot, job)).await {
            Ok(Ok(out)) => {
                if let Ok(mut v) = self.idle.lock() {
                    v.push(worker);
                }
                Ok(out)
            }
            Ok(Err(PoolError::Seed(e))) => {
                if let Ok(mut v) = self.idle.lock() {
                    v.push(worker);
                }
                Err(PoolError::Seed(e))
            }
            Ok(Err(e)) => {
                // Most often the address-space limit: the allocation that
                // failed aborted the worker.
                let _ = worker.child.start_kill();
                let status = worker.child.wait().await.ok();
                tracing::warn!(error = %e, ?status, "SQL worker died during a run; replaced");
                Ok(failed(RunError::OutOfMemory))
            }
            Err(_) => {
                let _ = worker.child.start_kill();
                let _ = worker.child.wait().await;
                tracing::warn!("SQL worker missed its deadline; killed and replaced");
                Ok(failed(RunError::TimeLimit))
            }
        }
    }

    /// Peak resident memory (VmHWM, in KiB) of each idle worker, from
    /// `/proc` (Linux): for tests and `make bench` to show the bound holds.
    pub fn peak_memory_kib(&self) -> Vec<u64> {
        let Ok(idle) = self.idle.lock() else {
            return vec![];
        };
        idle.iter()
            .filter_map(|w| w.child.id())
            .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/status")).ok())
            .filter_map(|status| {
                status
                    .lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|kb| kb.parse().ok())
            })
            .collect()
    }

    fn spawn(&self) -> Result<Worker, PoolError> {
        let mut cmd = Command::new(&self.exe);
        cmd.arg("sql-worker")
            .env_clear()
            .current_dir("/")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .kill_on_drop(true);
        #[cfg(unix)]
        // SAFETY: only async-signal-safe calls (setrlimit, signal) run
        // between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                let limit = |resource, value: u64| {
                    let rl = libc::rlimit {
                        rlim_cur: value as libc::rlim_t,
                        rlim_max: value as libc::rlim_t,
                    };
                    if libc::setrlimit(resource, &rl) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                };
                limit(libc::RLIMIT_AS, ADDRESS_SPACE)?;
                // Writing any byte to any file fails (EFBIG, with SIGXFSZ
                // ignored): runs stay in memory even if a check is missed.
                limit(libc::RLIMIT_FSIZE, 0)?;
                limit(libc::RLIMIT_CORE, 0)?;
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                Ok(())
            });
        }
        let mut child = cmd.spawn().map_err(PoolError::Start)?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(PoolError::Died("no pipes".into()));
        };
        Ok(Worker {
            child,
            stdin,
            stdout,
            prepared: Default::default(),
        })
    }
}

fn failed(e: RunError) -> RunOutput {
    RunOutput {
        script: Err(e),
        probe: None,
        plan: vec![],
    }
}

async fn converse(w: &mut Worker, snapshot: &Snapshot, job: Job) -> Result<RunOutput, PoolError> {
    let died = |e: std::io::Error| PoolError::Died(e.to_string());
    // A worker drops its snapshots when it holds too many; it then asks
    // again, and one more round builds the snapshot first.
    for _ in 0..2 {
        if !w.prepared.contains(&snapshot.key) {
            let prepare = Request::Prepare {
                key: snapshot.key,
                seed: snapshot.seed.to_string(),
            };
            send(&mut w.stdin, &prepare).await.map_err(died)?;
            match receive(&mut w.stdout).await.map_err(died)? {
                Reply::Prepared(Ok(())) => {
                    w.prepared.insert(snapshot.key);
                }
                Reply::Prepared(Err(e)) => return Err(PoolError::Seed(e)),
                other => return Err(PoolError::Died(format!("unexpected reply {other:?}"))),
            }
        }
        send(&mut w.stdin, &Request::Run(job.clone()))
            .await
            .map_err(died)?;
        match receive(&mut w.stdout).await.map_err(died)? {
            Reply::Ran(out) => return Ok(out),
            Reply::NeedSnapshot => {
                w.prepared.clear();
            }
            other => return Err(PoolError::Died(format!("unexpected reply {other:?}"))),
        }
    }
    Err(PoolError::Died("the worker kept losing its snapshot".into()))
}

async fn send(stdin: &mut ChildStdin, msg: &Request) -> std::io::Result<()> {
    let mut buf = Vec::new();
    super::worker::write_frame(&mut buf, msg)?;
    stdin.write_all(&buf).await?;
    stdin.flush().await
}

async fn receive(stdout: &mut ChildStdout) -> std::io::Result<Reply> {
    let mut len = [0u8; 4];
    stdout.read_exact(&mut len).await?;
    let len = u32::from_le_bytes(len) as usize;
    if len > MAX_FRAME {
        return Err(std::io::Error::other("frame too large"));
    }
    let mut body = vec![0; len];
    stdout.read_exact(&mut body).await?;
    serde_json::from_slice(&body).map_err(std::io::Error::other)
}
