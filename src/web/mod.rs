//! The web shell: yew and web-sys only. [`app::Playground`] holds the app model and
//! forwards events to it; [`browser`] is every web-sys call; the components draw.

pub mod app;
#[cfg(feature = "bench")]
pub mod bench;
pub mod browser;
pub mod components;
pub mod handover;
pub mod sweep_pool;
