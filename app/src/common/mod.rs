//! Pieces every feature uses and none owns: sanitized HTML, slugs, the
//! clock and the random source. Features import these; this module imports
//! no feature (that keeps the features' dependencies one way).

pub mod html;
pub mod slug;

server_modules!(client, random, time);
