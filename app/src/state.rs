//! Everything a request needs, provided to SSR and server functions as
//! context (`use_context::<AppState>()`) and to axum handlers as state.

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use std::time::Duration;

use crate::{
    auth::{model::RegistrationMode, password::Hasher},
    lessons::store::Content,
};

/// Settings from the command line that features read.
#[derive(Clone, Debug)]
pub struct Settings {
    pub registration: RegistrationMode,
    /// A session unused this long ends (sliding).
    pub session_idle: Duration,
    /// A session ends this long after sign-in, used or not.
    pub session_max_age: Duration,
    /// Cookies get `Secure` (the public URL is https).
    pub secure_cookies: bool,
    /// Quiz percentage that passes a lesson (and marks it complete).
    pub pass_mark: u32,
    /// When quizzes show right answers, unless a lesson says otherwise.
    pub quiz_reveal: crate::quiz::model::Reveal,
    /// Attempts a learner may make at a quiz, unless a lesson says
    /// otherwise; `None` is unlimited.
    pub quiz_max_attempts: Option<u32>,
    /// Roles that must turn two-factor sign-in on before they may use the
    /// pages that need an account (`--require-mfa`).
    pub require_mfa: Vec<crate::auth::model::Role>,
    /// "Sign in with the school" (`--oidc-issuer`); `None`: passwords only.
    pub oidc: Option<crate::auth::oidc::Oidc>,
    /// The address people use (`--public-url`), for links in mail: never
    /// taken from a request's `Host` (that would let anyone send a victim a
    /// reset link to their own site).
    pub public_url: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            registration: RegistrationMode::Open,
            session_idle: Duration::from_secs(14 * 24 * 3600),
            session_max_age: Duration::from_secs(30 * 24 * 3600),
            secure_cookies: false,
            pass_mark: 70,
            quiz_reveal: crate::quiz::model::Reveal::AfterPass,
            quiz_max_attempts: None,
            require_mfa: Vec::new(),
            oidc: None,
            public_url: None,
        }
    }
}

/// A cheap handle to [`StateParts`]: axum clones the state for every
/// middleware layer and handler of every request, so cloning must be one
/// reference-count increment (profiling the cached lesson page showed ~30 %
/// of CPU in cloning and dropping the field-by-field state before this).
#[derive(Clone, Debug)]
pub struct AppState(std::sync::Arc<Shared>);

/// [`StateParts`] plus what the app builds for itself rather than taking
/// from the server's configuration.
#[derive(Debug)]
struct Shared {
    parts: StateParts,
    /// Held by the editor around check-and-write of one file.
    file_locks: crate::editor::fs::PathLocks,
    /// How far this instance has applied other instances' editor saves.
    publications: crate::editor::publish::Follower,
}

impl AppState {
    pub fn new(parts: StateParts) -> Self {
        AppState(std::sync::Arc::new(Shared {
            parts,
            file_locks: Default::default(),
            publications: Default::default(),
        }))
    }

    /// A handle that does not keep the state alive: for callbacks the state
    /// itself holds (the bus's handlers), which would otherwise never drop.
    pub fn downgrade(&self) -> WeakAppState {
        WeakAppState(std::sync::Arc::downgrade(&self.0))
    }

    /// See [`crate::editor::publish`].
    pub fn publications(&self) -> &crate::editor::publish::Follower {
        &self.0.publications
    }

    /// One lock per content file: see [`crate::editor::fs::PathLocks`].
    pub fn file_locks(&self) -> &crate::editor::fs::PathLocks {
        &self.0.file_locks
    }
}

/// See [`AppState::downgrade`].
#[derive(Clone, Debug)]
pub struct WeakAppState(std::sync::Weak<Shared>);

impl WeakAppState {
    pub fn upgrade(&self) -> Option<AppState> {
        self.0.upgrade().map(AppState)
    }
}

impl std::ops::Deref for AppState {
    type Target = StateParts;
    fn deref(&self) -> &StateParts {
        &self.0.parts
    }
}

/// What every request can reach; see [`AppState`].
#[derive(Debug)]
pub struct StateParts {
    pub leptos_options: LeptosOptions,
    /// The database (SQLite or PostgreSQL).
    pub pool: crate::db::Db,
    /// The search index of this instance's content (see
    /// [`crate::db::search_index`]).
    pub search: sqlx::SqlitePool,
    /// Keeps the folder of a temporary search index (PostgreSQL only).
    pub search_dir: Option<tempfile::TempDir>,
    /// Changes announced to and by the other instances (PostgreSQL).
    pub bus: crate::db::notify::Bus,
    pub content: Content,
    pub settings: Settings,
    pub hasher: Hasher,
    /// Keys the quiz choice tokens (a secret stored in the database).
    pub quiz_key: std::sync::Arc<[u8]>,
    /// Progress writes, committed in batches.
    pub progress: crate::progress::writer::ProgressWriter,
    /// Sessions read recently (see `crate::cache`).
    pub sessions: crate::auth::session_store::SessionCache,
    /// Sends reset links (`--smtp-url`); `None`: no self-service reset.
    pub mailer: Option<crate::auth::mail::Mailer>,
    /// The SQL sandbox of the labs (worker processes).
    pub labs: crate::labs::sql::Sandbox,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The app state from context (server functions, pages).
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| crate::error::AppError::internal("app state missing from context", ""))
}
