//! Quizzes in Moodle's GIFT format, graded on the server.

pub mod api;
pub mod model;
pub mod pages;
pub mod views;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod gift;
#[cfg(feature = "ssr")]
pub mod grade;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod service;
