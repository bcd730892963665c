//! Accounts: registration, sign-in, sessions, roles.

pub mod api;
pub mod model;
pub mod pages;
pub mod session;

server_modules!(db, handlers, password, service, session_store);
