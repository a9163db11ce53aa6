//! ringlab: the yew app that draws the simulation of `ringlab-core` in the browser.
//!
//! The flow is one way: the core (model) → [`state`] (one reducer over the running
//! `Timeline`) → [`components`] (view). [`narrate`], [`format`], [`keys`] and
//! [`controls_model`] are pure helpers with native unit tests.
//!
//! The crate is a library (so that `tests/web.rs` can mount the app in a browser) plus
//! the small `main.rs` that trunk builds.

pub mod app;
pub mod browser;
pub mod compare;
#[cfg(feature = "bench")]
pub mod bench;
pub mod components;
pub mod controls_model;
pub mod export;
pub mod format;
pub mod keys;
pub mod lesson;
pub mod narrate;
pub mod state;

/// The scenario the first screen shows, compiled in so that the page works offline.
pub const DEFAULT_SCENARIO: &str = include_str!("../scenarios/default.toml");
