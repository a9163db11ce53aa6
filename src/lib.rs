//! ringlab: the yew app that draws the simulation of `ringlab-core` in the browser.
//!
//! The crate is a library (so that `tests/web.rs` can mount the app in a browser) plus
//! the small `main.rs` that trunk builds.

pub mod app;
pub mod components;

/// The scenario the first screen shows, compiled in so that the page works offline.
pub const DEFAULT_SCENARIO: &str = include_str!("../scenarios/default.toml");
