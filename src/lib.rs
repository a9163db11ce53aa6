//! ringlab: the app that draws the simulation of `ringlab-core` in the browser.
//!
//! Data flows one way: the core (the simulation) → [`model`] (the app model: plain
//! Rust, no yew, tested natively as user journeys) → [`web`] (the yew
//! shell that holds the model, forwards events to it and draws its screen). Nothing in
//! `model` imports from the shell.
//!
//! The crate is a library (so that `tests/web.rs` can mount the app in a browser) plus
//! the small `main.rs` that trunk builds.

pub mod model;
pub mod web;

/// The scenario the first screen shows, compiled in so that the page works offline.
pub const DEFAULT_SCENARIO: &str = include_str!("../scenarios/default.toml");
