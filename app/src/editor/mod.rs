//! The instructor editor: edit lessons in the browser with a preview from
//! the learners' own pipeline, revisions, conflict detection, safe saves.
//!
//! `service` holds every operation; `handlers` (form routes) and `api`
//! (server functions) are thin over it. `text` checks, renders and diffs a
//! lesson's text (pure), `fs` keeps paths inside the content folder and
//! writes atomically, `upload` reads image uploads, `db` keeps revisions.

pub mod api;
pub mod model;
pub mod pages;
pub mod views;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod fs;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod publish;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod text;
#[cfg(feature = "ssr")]
pub mod upload;
