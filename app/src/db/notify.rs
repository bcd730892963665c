//! What one instance tells the others: PostgreSQL `LISTEN`/`NOTIFY`.
//!
//! Each instance keeps read caches (sessions, completed lessons, rendered
//! pages) and a copy of the content. With several instances on one
//! database, a change made through instance A must reach B's caches: every
//! [`Bus::publish`] becomes a line `"<instance> <topic> <arg>"` in a
//! `NOTIFY academy_events`, and each instance runs the handler registered
//! for the topic ([`Bus::on`]) for lines that other instances sent.
//!
//! - Publishing never waits: lines are queued and a sender task packs what
//!   is queued into one `NOTIFY` (payloads stay under PostgreSQL's 8,000
//!   bytes), so a burst of session writes costs a few statements, not one
//!   each, and arrives well within the second the caches promise.
//! - A lost listener connection may have missed lines, so on reconnecting
//!   every handler is called with [`ALL`]: caches empty themselves and the
//!   content catches up from the database.
//! - On SQLite there is one instance and the bus does nothing.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
    time::Duration,
};

use sqlx::postgres::{PgListener, PgPool};
use tokio::sync::mpsc;

use super::Db;

/// The channel all instances listen on.
pub const CHANNEL: &str = "academy_events";
/// The argument meaning "anything may have changed".
pub const ALL: &str = "*";
/// Payloads are packed up to this many bytes (PostgreSQL's limit is 8,000).
const MAX_PAYLOAD: usize = 7_000;
/// Lines queued but not yet sent; beyond this, lines are dropped and the
/// caches' own expiry (a minute) is the fallback — logged.
const QUEUE: usize = 65_536;

type Handler = Arc<dyn Fn(&str) + Send + Sync>;

#[derive(Clone, Default)]
pub struct Bus(Option<Arc<Inner>>);

struct Inner {
    instance: String,
    tx: mpsc::Sender<String>,
    handlers: RwLock<HashMap<&'static str, Handler>>,
    /// Ends the listener (its connection would keep the pool from closing).
    stop: Arc<tokio::sync::Notify>,
}

impl std::fmt::Debug for Bus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(inner) => write!(f, "Bus({})", inner.instance),
            None => f.write_str("Bus(local)"),
        }
    }
}

impl Bus {
    /// Starts listening and sending on PostgreSQL; a no-op bus on SQLite.
    pub async fn start(db: &Db) -> Result<Bus, sqlx::Error> {
        let Db::Postgres(pool) = db else {
            return Ok(Bus(None));
        };
        let (tx, rx) = mpsc::channel(QUEUE);
        let inner = Arc::new(Inner {
            instance: crate::common::random::hex::<6>(),
            tx,
            handlers: RwLock::new(HashMap::new()),
            stop: Arc::default(),
        });
        let mut listener = PgListener::connect_with(pool).await?;
        listener.listen(CHANNEL).await?;
        tokio::spawn(listen(listener, Arc::downgrade(&inner), inner.stop.clone()));
        tokio::spawn(send(pool.clone(), rx, inner.instance.clone()));
        tracing::info!(instance = %inner.instance, "listening for other instances' changes");
        Ok(Bus(Some(inner)))
    }

    /// Stops listening (at shutdown, before the pool closes).
    pub fn close(&self) {
        if let Some(inner) = &self.0 {
            inner.stop.notify_one();
        }
    }

    /// Whether other instances may exist (PostgreSQL).
    pub fn is_shared(&self) -> bool {
        self.0.is_some()
    }

    /// Runs `handler(arg)` for every line of `topic` another instance
    /// publishes (and with [`ALL`] after a reconnect).
    pub fn on(&self, topic: &'static str, handler: impl Fn(&str) + Send + Sync + 'static) {
        if let Some(inner) = &self.0 {
            let mut handlers = inner.handlers.write().unwrap_or_else(|p| p.into_inner());
            handlers.insert(topic, Arc::new(handler));
        }
    }

    /// Tells the other instances; never waits. Call after the change has
    /// committed, so whoever hears it reads the new state.
    pub fn publish(&self, topic: &'static str, arg: &str) {
        let Some(inner) = &self.0 else { return };
        if arg.contains('\n') || arg.len() > 1_000 {
            tracing::error!(topic, "an event argument was malformed; not sent");
            return;
        }
        if inner.tx.try_send(format!("{topic} {arg}")).is_err() {
            tracing::warn!(topic, "event queue full; other instances rely on cache expiry");
        }
    }
}

/// Tells running instances from a process without a bus (the CLI): one
/// `NOTIFY` now. Nothing to do on SQLite.
pub async fn announce(db: &Db, topic: &str, arg: &str) {
    if let Db::Postgres(pool) = db {
        notify(pool, &format!("cli {topic} {arg}")).await;
    }
}

/// Packs queued lines into as few `NOTIFY`s as fit, and sends them.
async fn send(pool: PgPool, mut rx: mpsc::Receiver<String>, instance: String) {
    let mut lines = Vec::with_capacity(256);
    while rx.recv_many(&mut lines, 256).await > 0 {
        let mut payload = String::new();
        for line in lines.drain(..) {
            if payload.len() + line.len() + instance.len() + 2 > MAX_PAYLOAD {
                notify(&pool, &payload).await;
                payload.clear();
            }
            if !payload.is_empty() {
                payload.push('\n');
            }
            payload.push_str(&instance);
            payload.push(' ');
            payload.push_str(&line);
        }
        if !payload.is_empty() {
            notify(&pool, &payload).await;
        }
    }
}

async fn notify(pool: &PgPool, payload: &str) {
    for attempt in 0..3 {
        match sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(payload)
            .execute(pool)
            .await
        {
            Ok(_) => return,
            Err(e) => {
                tracing::warn!(error = %e, attempt, "cannot notify the other instances");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    tracing::error!("events were not sent; other instances rely on cache expiry");
}

/// Receives lines and runs their handlers, until the bus is dropped.
async fn listen(
    mut listener: PgListener,
    inner: std::sync::Weak<Inner>,
    stop: Arc<tokio::sync::Notify>,
) {
    loop {
        let next = tokio::select! {
            next = listener.try_recv() => next,
            _ = stop.notified() => return,
        };
        let Some(inner) = inner.upgrade() else { return };
        match next {
            Ok(Some(n)) => dispatch(&inner, n.payload()),
            // The connection was lost (it reconnects on the next call):
            // whatever was sent meanwhile is unknown, so forget everything.
            Ok(None) => {
                tracing::warn!("lost the connection for events; caches emptied");
                let handlers: Vec<Handler> = {
                    let h = inner.handlers.read().unwrap_or_else(|p| p.into_inner());
                    h.values().cloned().collect()
                };
                for handler in handlers {
                    handler(ALL);
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot receive events; retrying");
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        }
    }
}

fn dispatch(inner: &Inner, payload: &str) {
    for line in payload.lines() {
        let mut parts = line.splitn(3, ' ');
        let (Some(from), Some(topic), arg) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if from == inner.instance {
            continue;
        }
        let handler = {
            let h = inner.handlers.read().unwrap_or_else(|p| p.into_inner());
            h.get(topic).cloned()
        };
        match handler {
            Some(handler) => handler(arg.unwrap_or("")),
            None => tracing::debug!(topic, "an event nobody here handles"),
        }
    }
}
