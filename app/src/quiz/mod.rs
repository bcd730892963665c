//! Quizzes in Moodle's GIFT format, graded on the server.

#[cfg(feature = "ssr")]
pub mod db;
