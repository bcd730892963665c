//! The instructor editor: edit lessons in the browser with a preview from
//! the learners' own pipeline, revisions, conflict detection, safe saves.

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
pub mod service;
