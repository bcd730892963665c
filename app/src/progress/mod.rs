//! Progress: lessons done and visited, the learner dashboard, cohorts and
//! the instructor dashboard.

pub mod api;
pub mod model;
pub mod pages;

server_modules!(db, handlers, service, writer);
