//! Progress: lessons done and visited, the learner dashboard, cohorts and
//! the instructor dashboard.

pub mod api;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod writer;
