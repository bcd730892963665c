//! Quizzes in Moodle's GIFT format, graded on the server.

pub mod api;
pub mod model;
pub mod pages;
pub mod views;

server_modules!(db, export, gift, grade, handlers, service, stats, text);
