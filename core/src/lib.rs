//! # ringlab-core
//!
//! The simulation behind ringlab: a kernel's completion ring (head, tail, an overflow
//! list for completions that find the ring full, a timer that flushes the list, a flag
//! next to the tail) under six models of real kernels, driven by scripted or seeded
//! stochastic workloads.
//!
//! The crate is fully deterministic: it contains no I/O and reads no clock. Callers
//! drive it in virtual time (nanoseconds); the same scenario and seed give the same run
//! natively and in WebAssembly. Each rule taken from the reference
//! (defined in `docs/kernel-rules.md`) is marked in the code with its rule id.
//!
//! - [`model`]: the kernel models ([`Kernel`], [`ModelSpec`]); [`kind`]: which model ([`ModelKind`]).
//! - [`spec`]: the specs' field tables (names, defaults, ranges, hints), which the JSON
//!   reader, the share links and the app's controls go through.
//! - [`script`]: scripted runs and their JSON observation lines.
//! - [`sim`]: stochastic runs ([`Sim`]) with a workload, a reaper and a device.
//! - [`sweep`]: one metric over a grid of runs (two parameters, up to four models).
//! - [`scenario`]: scenario files (TOML) that configure a run.
//! - [`view`]: the [`ViewModel`] the browser draws.
//! - [`trace_file`]: recorded I/O traces (fio latency logs, CSV) replayed as a workload phase.

pub mod base64url;
pub mod bench;
pub mod decimal;
mod device;
pub mod error;
mod json;
pub mod kind;
pub mod lessons;
pub mod link;
pub mod model;
pub mod reaper;
pub mod ring;
pub mod scenario;
pub mod script;
pub mod sim;
pub mod spec;
pub mod stats;
pub mod sweep;
pub mod trace;
pub mod trace_file;
pub mod trig;
pub mod view;
pub mod workload;

pub use error::{ConfigError, Errno};
pub use kind::{Family, ModelKind};
pub use model::{Kernel, ModelSpec};
pub use reaper::{ReaperPolicy, ReaperSpec};
pub use ring::{Completion, Ring};
pub use scenario::Scenario;
pub use script::{Script, Step};
pub use sim::{Sim, SimEvent, Timeline};
pub use view::ViewModel;
pub use workload::{Latency, Phase, Workload};
