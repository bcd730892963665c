//! The SQL worker process (`academy sql-worker`): reads jobs on stdin,
//! answers on stdout, one at a time. Frames are a 4-byte little-endian
//! length and a JSON message; the parent ([`super::pool`]) starts the
//! process with its resource limits already set.

use std::{
    collections::HashMap,
    io::{self, Read, Write},
};

use serde::{de::DeserializeOwned, Deserialize, Serialize};

use super::runner::{self, Job, RunOutput, HEAP_LIMIT};

/// Largest frame either side accepts (a dataset seed is the largest).
pub const MAX_FRAME: usize = 64 * 1024 * 1024;
/// Snapshots a worker keeps; one per dataset-and-setup in use.
const KEEP_SNAPSHOTS: usize = 64;

#[derive(Debug, Serialize, Deserialize)]
pub enum Request {
    /// Build snapshot `key` from this seed SQL.
    Prepare { key: u64, seed: String },
    Run(Job),
}

#[derive(Debug, Serialize, Deserialize)]
pub enum Reply {
    Prepared(Result<(), String>),
    Ran(RunOutput),
    /// The job named a snapshot this worker has not built.
    NeedSnapshot,
}

pub fn write_frame<W: Write>(w: &mut W, msg: &impl Serialize) -> io::Result<()> {
    let body = serde_json::to_vec(msg).map_err(io::Error::other)?;
    w.write_all(&(body.len() as u32).to_le_bytes())?;
    w.write_all(&body)?;
    w.flush()
}

pub fn read_frame<R: Read, T: DeserializeOwned>(r: &mut R) -> io::Result<T> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len)?;
    let len = u32::from_le_bytes(len) as usize;
    if len > MAX_FRAME {
        return Err(io::Error::other("frame too large"));
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body)?;
    serde_json::from_slice(&body).map_err(io::Error::other)
}

/// The worker's main loop; returns when the parent closes stdin.
pub fn serve() -> io::Result<()> {
    // SQLite's heap limit is process-wide: in this process it bounds
    // exactly one learner's run.
    // SAFETY: a plain setter of SQLite's global heap limit.
    unsafe {
        rusqlite::ffi::sqlite3_hard_heap_limit64(HEAP_LIMIT);
    }
    let mut snapshots: HashMap<u64, Vec<u8>> = HashMap::new();
    let mut input = io::stdin().lock();
    let mut output = io::stdout().lock();
    loop {
        let request: Request = match read_frame(&mut input) {
            Ok(r) => r,
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        };
        let reply = match request {
            Request::Prepare { key, seed } => Reply::Prepared(runner::prepare(&seed).map(|bytes| {
                if snapshots.len() >= KEEP_SNAPSHOTS {
                    snapshots.clear();
                }
                snapshots.insert(key, bytes);
            })),
            Request::Run(job) => match snapshots.get(&job.snapshot) {
                Some(snapshot) => Reply::Ran(runner::run(snapshot, &job)),
                None => Reply::NeedSnapshot,
            },
        };
        write_frame(&mut output, &reply)?;
    }
}
