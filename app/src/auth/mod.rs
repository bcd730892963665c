//! Accounts: registration, sign-in, sessions, roles.

pub mod api;
pub mod manage_api;
pub mod manage_pages;
pub mod model;
pub mod pages;
pub mod session;
pub mod totp_pages;

server_modules!(db, handlers, password, service, session_store, totp);
// Recovery, the audit log, a learner's own data, admin actions.
server_modules!(mail, manage, manage_db, manage_handlers);
// "Sign in with the school" (OpenID Connect).
server_modules!(oidc);
