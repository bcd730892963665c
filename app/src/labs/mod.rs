//! Hands-on labs: exercises written in a lesson's markdown, run and graded
//! on the server.
//!
//! Two kinds exist. **SQL** exercises run the learner's SQL in a fresh
//! in-memory SQLite inside a worker process of their own (`sql`), so a
//! hostile query can exhaust nothing but that worker. **HTTP** exercises are
//! graded on the learner's request history against a small practice API
//! under `/lab/{token}` (`http`). Everything learner-supplied stays inside
//! this module: the rest of the app sees verdicts and tables.
//!
//! - `model`: the exercise as written (with its solution: server only in
//!   practice) and what the page may show ([`model::ExerciseView`]);
//! - `service`: one function per operation (open, run, hint, progress),
//!   shared by the server functions (`api`) and the form route (`handlers`).

pub mod api;
pub mod model;
pub mod pages;
pub mod views;

server_modules!(db, handlers, http, parse, service, sql);
