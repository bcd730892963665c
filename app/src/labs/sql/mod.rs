//! The SQL sandbox: runs a learner's SQL against a fresh copy of the
//! exercise's dataset in a worker process, and grades it against the
//! reference solution's result (computed once per exercise, cached).

pub mod grade;
pub mod pool;
pub mod runner;
pub mod worker;

use std::{
    collections::{HashMap, HashSet},
    hash::{Hash, Hasher},
    path::PathBuf,
    sync::{Arc, Mutex},
};

use self::{
    grade::Verdict,
    pool::{PoolError, SqlPool, Snapshot},
    runner::{Job, RunOutput},
};
use super::model::{Exercise, RunView, SqlCheck, SqlSpec};

/// The sandbox as the state holds it.
#[derive(Debug)]
pub struct Sandbox {
    pool: SqlPool,
    /// Per exercise (by what defines its outcome): snapshot and reference.
    references: Mutex<HashMap<u64, Arc<Reference>>>,
    /// Learners with a run in progress: one at a time each.
    busy: Mutex<HashSet<i64>>,
}

#[derive(Debug)]
struct Reference {
    snapshot: Snapshot,
    expected: RunOutput,
}

/// Why a run could not be graded at all.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("You already have a run in progress. Wait for it to finish.")]
    Busy,
    #[error("{}", crate::t!("err-lab-no-dataset", name = .0))]
    NoDataset(String),
    #[error("{}", crate::t!("err-lab-reference-fails", reason = .0))]
    Reference(String),
    #[error(transparent)]
    Pool(#[from] PoolError),
}

/// Holds a learner's "run in progress" mark until dropped.
pub struct Claim<'a> {
    sandbox: &'a Sandbox,
    user: i64,
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        if let Ok(mut b) = self.sandbox.busy.lock() {
            b.remove(&self.user);
        }
    }
}

impl Sandbox {
    /// `exe` is the `academy` binary (it serves `academy sql-worker`).
    pub fn new(exe: PathBuf, workers: usize) -> Sandbox {
        Sandbox {
            pool: SqlPool::new(exe, workers),
            references: Default::default(),
            busy: Default::default(),
        }
    }

    /// Marks `user` as running, or says a run of theirs is in progress.
    pub fn claim(&self, user: i64) -> Result<Claim<'_>, SandboxError> {
        let mut busy = self.busy.lock().map_err(|_| SandboxError::Busy)?;
        if !busy.insert(user) {
            return Err(SandboxError::Busy);
        }
        Ok(Claim {
            sandbox: self,
            user,
        })
    }

    /// Runs `answer` for exercise `ex` and grades it. `dataset` is the
    /// seed SQL of the exercise's dataset (looked up by the caller).
    pub async fn check(
        &self,
        ex: &Exercise,
        spec: &SqlSpec,
        dataset: Option<&Arc<str>>,
        answer: &str,
    ) -> Result<RunView, SandboxError> {
        let reference = self.reference(ex, spec, dataset).await?;
        let out = self
            .pool
            .run(&reference.snapshot, job(spec, &reference.snapshot, answer))
            .await?;
        Ok(view(spec, &reference.expected, out))
    }

    /// Runs the reference solution against its own check (for
    /// `academy check-content` and the editor preview).
    pub async fn self_check(
        &self,
        ex: &Exercise,
        spec: &SqlSpec,
        dataset: Option<&Arc<str>>,
    ) -> Result<RunView, SandboxError> {
        let view = self.check(ex, spec, dataset, &ex.solution).await?;
        if view.passed {
            Ok(view)
        } else {
            Err(SandboxError::Reference(
                view.error.unwrap_or(view.verdict),
            ))
        }
    }

    async fn reference(
        &self,
        ex: &Exercise,
        spec: &SqlSpec,
        dataset: Option<&Arc<str>>,
    ) -> Result<Arc<Reference>, SandboxError> {
        let seed: Arc<str> = match (&spec.dataset, dataset) {
            (None, _) => spec.setup.as_str().into(),
            (Some(_), Some(d)) if spec.setup.is_empty() => d.clone(),
            (Some(_), Some(d)) => format!("{d}\n;\n{}", spec.setup).into(),
            (Some(name), None) => return Err(SandboxError::NoDataset(name.clone())),
        };
        let key = {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (&*seed, &ex.solution, &spec.probe, spec.check == SqlCheck::Plan).hash(&mut h);
            h.finish()
        };
        if let Some(r) = self.references.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(r);
        }
        let snapshot = Snapshot {
            key: {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                seed.hash(&mut h);
                h.finish()
            },
            seed,
        };
        let expected = self
            .pool
            .run(&snapshot, job(spec, &snapshot, &ex.solution))
            .await
            .map_err(|e| match e {
                PoolError::Seed(msg) => {
                    SandboxError::Reference(crate::t!("labs-dataset-fails", reason = msg))
                }
                other => SandboxError::Pool(other),
            })?;
        if let Err(e) = &expected.script {
            return Err(SandboxError::Reference(e.to_string()));
        }
        if let Some(Err(e)) = &expected.probe {
            return Err(SandboxError::Reference(crate::t!(
                "labs-probe-fails",
                reason = e.to_string()
            )));
        }
        let r = Arc::new(Reference { snapshot, expected });
        if let Ok(mut m) = self.references.lock() {
            if m.len() > 10_000 {
                m.clear();
            }
            m.insert(key, r.clone());
        }
        Ok(r)
    }
}

fn job(spec: &SqlSpec, snapshot: &Snapshot, script: &str) -> Job {
    Job {
        snapshot: snapshot.key,
        script: script.to_string(),
        probe: match spec.check {
            SqlCheck::Result => None,
            SqlCheck::Probe | SqlCheck::Plan => spec.probe.clone(),
        },
        plan: spec.check == SqlCheck::Plan,
    }
}

/// The page's view of a learner's run, graded against `expected`.
fn view(spec: &SqlSpec, expected: &RunOutput, out: RunOutput) -> RunView {
    let shown = out.script.as_ref().ok().cloned().flatten();
    let fail = |error: String, table| RunView {
        passed: false,
        verdict: crate::t!("labs-verdict-stopped"),
        error: Some(error),
        table,
        ..Default::default()
    };
    let verdict = match spec.check {
        SqlCheck::Result => {
            let want = expected
                .script
                .as_ref()
                .ok()
                .cloned()
                .flatten()
                .unwrap_or_default();
            match &out.script {
                Err(e) => return fail(e.to_string(), None),
                Ok(None) => Verdict::fail(crate::t!("labs-verdict-no-rows")),
                Ok(Some(got)) => {
                    grade::compare(&want, got, spec.ordered, &crate::t!("labs-what-result"))
                }
            }
        }
        SqlCheck::Probe | SqlCheck::Plan => {
            if let Err(e) = &out.script {
                return fail(e.to_string(), None);
            }
            let want = match &expected.probe {
                Some(Ok(t)) => t.clone(),
                _ => Default::default(),
            };
            match &out.probe {
                Some(Err(e)) => {
                    return fail(
                        crate::t!("labs-probe-failed", reason = e.to_string()),
                        shown,
                    )
                }
                None => Verdict::fail(crate::t!("labs-verdict-probe-not-run")),
                Some(Ok(got)) => {
                    let rows =
                        grade::compare(&want, got, spec.ordered, &crate::t!("labs-what-probe"));
                    if !rows.passed || spec.check == SqlCheck::Probe {
                        rows
                    } else {
                        grade::plan(
                            &out.plan,
                            spec.plan_contains.as_deref(),
                            spec.plan_excludes.as_deref(),
                        )
                    }
                }
            }
        }
    };
    let table = match spec.check {
        SqlCheck::Result => shown,
        _ => match out.probe {
            Some(Ok(t)) if shown.is_none() => Some(t),
            _ => shown,
        },
    };
    RunView {
        passed: verdict.passed,
        verdict: verdict.message,
        error: None,
        table,
        ..Default::default()
    }
}
