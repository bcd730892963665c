//! A `tower_sessions::SessionStore` on the app's own database (SQLite or
//! PostgreSQL, the same statements).
//!
//! The released sqlx store pins sqlx 0.8 (and an SQLite with the WAL-reset
//! bug), so this small one is ours. Records are JSON; the signed-in user's
//! id is copied into a column so all of a user's sessions can be ended at
//! once (password change, "sign out everywhere").

use std::str::FromStr;

use crate::cache::ReadCache;

/// Sessions (with their user) read recently, by session id.
pub type SessionCache = ReadCache<String, super::db::SessionUser>;
use async_trait::async_trait;
use crate::{common::time::now, db::Db};
use time::OffsetDateTime;
use tower_sessions::{
    session::{Id, Record},
    session_store::{self, ExpiredDeletion},
    SessionStore,
};

/// The session key holding the signed-in user's id.
pub const USER_ID_KEY: &str = "user_id";

#[derive(Clone, Debug)]
pub struct DbStore {
    pool: Db,
    /// Emptied of a session after every write to it (see `crate::cache`).
    cache: SessionCache,
}

impl DbStore {
    pub fn new(pool: Db, cache: SessionCache) -> Self {
        DbStore { pool, cache }
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn user_id(record: &Record) -> Option<i64> {
    record.data.get(USER_ID_KEY).and_then(|v| v.as_i64())
}

/// The client of the request that writes the session (see
/// `crate::common::client::CLIENT`): "your sessions" lists where each
/// session was last used from.
fn client() -> crate::common::client::Client {
    crate::common::client::CLIENT
        .try_with(|c| c.clone())
        .unwrap_or_default()
}

#[async_trait]
impl SessionStore for DbStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let client = client();
        // A fresh random id; on the (astronomically unlikely) collision, draw again.
        loop {
            let done = on_db!(&self.pool, |p| sqlx::query(
                "INSERT INTO sessions (id, data, expiry_date, user_id, ip, user_agent, last_seen)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(record.id.to_string())
            .bind(&data)
            .bind(record.expiry_date.unix_timestamp())
            .bind(user_id(record))
            .bind(&client.ip)
            .bind(&client.user_agent)
            .bind(now())
            .execute(p)
            .await
            .map(|d| d.rows_affected()))
            .map_err(backend)?;
            if done == 1 {
                self.cache.forget(&record.id.to_string());
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    /// Updates an existing session only. `create` is the one insert: a
    /// request that read its session before a sign-out, "sign out
    /// everywhere" or a password change deleted it must not bring it back
    /// when it saves at the end (an upsert would re-insert the row).
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let client = client();
        let updated = on_db!(&self.pool, |p| sqlx::query(
            "UPDATE sessions SET data = $1, expiry_date = $2, user_id = $3,
               ip = $5, user_agent = $6, last_seen = $7
             WHERE id = $4"
        )
        .bind(&data)
        .bind(record.expiry_date.unix_timestamp())
        .bind(user_id(record))
        .bind(record.id.to_string())
        .bind(&client.ip)
        .bind(&client.user_agent)
        .bind(now())
        .execute(p)
        .await
        .map(|d| d.rows_affected()))
        .map_err(backend)?;
        if updated == 0 {
            tracing::debug!("session ended while a request held it; not saved");
        }
        // After the write: a read that saw the old row cannot be kept now.
        self.cache.forget(&record.id.to_string());
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row: Option<(String, String, i64)> = on_db!(&self.pool, |p| sqlx::query_as(
            "SELECT id, data, expiry_date FROM sessions WHERE id = $1 AND expiry_date > $2",
        )
        .bind(id.to_string())
        .bind(now())
        .fetch_optional(p)
        .await)
        .map_err(backend)?;
        let Some((id, data, expiry)) = row else {
            return Ok(None);
        };
        Ok(Some(Record {
            id: Id::from_str(&id).map_err(|e| session_store::Error::Decode(e.to_string()))?,
            data: serde_json::from_str(&data)
                .map_err(|e| session_store::Error::Decode(e.to_string()))?,
            expiry_date: OffsetDateTime::from_unix_timestamp(expiry)
                .map_err(|e| session_store::Error::Decode(e.to_string()))?,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        on_db!(&self.pool, |p| sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(p)
            .await
            .map(|d| d.rows_affected()))
        .map_err(backend)?;
        self.cache.forget(&id.to_string());
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for DbStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let gone = on_db!(&self.pool, |p| sqlx::query(
            "DELETE FROM sessions WHERE expiry_date <= $1"
        )
        .bind(now())
        .execute(p)
        .await
        .map(|d| d.rows_affected()))
        .map_err(backend)?;
        if gone > 0 {
            tracing::info!(deleted = gone, "expired sessions deleted");
        }
        Ok(())
    }
}

/// Ends every session of `user_id` except `keep` (the current one, if any).
pub async fn end_other_sessions(
    pool: &Db,
    cache: &SessionCache,
    user_id: i64,
    keep: Option<Id>,
) -> Result<u64, sqlx::Error> {
    let keep = keep.map(|k| k.to_string()).unwrap_or_default();
    let ended = on_db!(pool, |p| sqlx::query(
        "DELETE FROM sessions WHERE user_id = $1 AND id != $2"
    )
    .bind(user_id)
    .bind(&keep)
    .execute(p)
    .await
    .map(|d| d.rows_affected()))?;
    cache.clear();
    Ok(ended)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    async fn store() -> (DbStore, tempfile::TempDir) {
        let (pool, dir) = crate::db::test_pool(7).await;
        (DbStore::new(pool, SessionCache::default()), dir)
    }

    fn record(user: Option<i64>, expires_in: time::Duration) -> Record {
        let mut data = HashMap::new();
        if let Some(u) = user {
            data.insert(USER_ID_KEY.to_string(), serde_json::json!(u));
        }
        Record {
            id: Id::default(),
            data,
            expiry_date: OffsetDateTime::now_utc() + expires_in,
        }
    }

    #[tokio::test]
    async fn create_load_save_delete_round_trip() {
        let (store, _dir) = store().await;
        let mut r = record(Some(7), time::Duration::hours(1));
        store.create(&mut r).await.unwrap();
        let loaded = store.load(&r.id).await.unwrap().unwrap();
        assert_eq!(loaded.data, r.data);
        assert_eq!(
            loaded.expiry_date.unix_timestamp(),
            r.expiry_date.unix_timestamp()
        );
        r.data.insert("k".into(), serde_json::json!("v"));
        store.save(&r).await.unwrap();
        assert_eq!(store.load(&r.id).await.unwrap().unwrap().data["k"], "v");
        store.delete(&r.id).await.unwrap();
        assert!(store.load(&r.id).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn a_deleted_session_is_not_brought_back_by_a_save() {
        let (store, _dir) = store().await;
        let mut r = record(Some(7), time::Duration::hours(1));
        store.create(&mut r).await.unwrap();
        // A request loaded it; meanwhile the user signed out everywhere.
        end_other_sessions(&store.pool, &store.cache, 7, None)
            .await
            .unwrap();
        // The request ends and saves what it holds.
        store.save(&r).await.unwrap();
        assert!(store.load(&r.id).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn expired_sessions_do_not_load_and_are_deleted() {
        let (store, _dir) = store().await;
        let mut r = record(None, time::Duration::seconds(-5));
        store.create(&mut r).await.unwrap();
        assert!(store.load(&r.id).await.unwrap().is_none());
        store.delete_expired().await.unwrap();
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions")
            .fetch_one(store.pool.sqlite())
            .await
            .unwrap();
        assert_eq!(n, 0);
    }

    #[tokio::test]
    async fn other_sessions_of_a_user_can_be_ended() {
        let (store, _dir) = store().await;
        let mut a = record(Some(7), time::Duration::hours(1));
        let mut b = record(Some(7), time::Duration::hours(1));
        let mut anon = record(None, time::Duration::hours(1));
        for r in [&mut a, &mut b, &mut anon] {
            store.create(r).await.unwrap();
        }
        assert_eq!(
            end_other_sessions(&store.pool, &store.cache, 7, Some(a.id))
                .await
                .unwrap(),
            1
        );
        assert!(store.load(&a.id).await.unwrap().is_some());
        assert!(store.load(&b.id).await.unwrap().is_none());
        assert!(store.load(&anon.id).await.unwrap().is_some());
    }
}
