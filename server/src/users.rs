//! `academy user add|set-role`: accounts from the command line (there are
//! no default accounts; this is how the first admin is made).

use std::io::Read;

use app::auth::{
    db,
    model::{normalize_email, Role},
    password::Hasher,
    service,
};

use crate::{cli::UserCommand, StartError};

pub async fn run(url: &app::db::DbUrl, cmd: UserCommand) -> Result<(), StartError> {
    let pool = app::db::Db::open(url).await?;
    pool.migrate().await?;
    let result = match cmd {
        UserCommand::Add {
            email, name, role, ..
        } => {
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .map_err(|e| {
                    StartError::Config(format!("cannot read the password from standard input: {e}"))
                })?;
            let password = password.trim_end_matches(['\n', '\r']).to_string();
            add(&pool, &email, &name, &role, password).await
        }
        UserCommand::SetRole { email, role } => {
            let role: Role = role.parse().map_err(StartError::Config)?;
            let email = normalize_email(&email).map_err(StartError::Config)?;
            let found = db::by_email_with_hash(&pool, &email)
                .await
                .map_err(app::db::DbError::from)?;
            let changed = match found {
                Some(found) => db::set_role(&pool, found.user.id, role)
                    .await
                    .map_err(app::db::DbError::from)?,
                None => false,
            };
            if changed {
                // Running servers cache sessions with their user's role:
                // on PostgreSQL tell them now (SQLite's expire in a minute).
                app::db::notify::announce(&pool, "sessions", app::db::notify::ALL).await;
                println!("{email} is now {role}");
                Ok(())
            } else {
                Err(StartError::Config(format!("no account with email {email}")))
            }
        }
    };
    pool.close().await;
    result
}

async fn add(
    pool: &app::db::Db,
    email: &str,
    name: &str,
    role: &str,
    password: String,
) -> Result<(), StartError> {
    let role: Role = role.parse().map_err(StartError::Config)?;
    let id = service::create_account(pool, &Hasher::default(), email, name, password, role)
        .await
        .map_err(|e| StartError::Config(e.to_string()))?;
    println!("created {role} {} (id {id})", email.trim().to_lowercase());
    Ok(())
}
