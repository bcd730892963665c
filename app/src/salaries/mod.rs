//! The salary explorer over `content/salaries.csv`: every figure sourced.

pub mod api;
pub mod model;
pub mod pages;
pub mod views;

server_modules!(load);
