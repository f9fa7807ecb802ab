//! CLI emulation: one generic engine ([`engine`]) driven by per-platform tables
//! ([`platforms`]), with the command matcher, pager and Telnet login dialogue.

pub(crate) mod engine;
pub(crate) mod facts;
pub(crate) mod login;
mod matcher;
mod pager;
pub(crate) mod platforms;
