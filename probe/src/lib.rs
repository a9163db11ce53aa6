//! # ringlab-probe
//!
//! Runs ringlab's JSON scripts (see `ringlab_core::script`) against the real Linux kernel
//! through raw system calls, prints the same observation lines, and compares them with
//! the simulator's, step by step.
//!
//! - [`compare`]: the comparison (any platform).
//! - [`kernel`]: the kernel side of a run (Linux only); all `unsafe` code is in the private
//!   `sys` module, one file per interface.
//! - [`check`]: run both sides of a script and compare them.

pub mod compare;

#[cfg(target_os = "linux")]
pub mod check;
#[cfg(target_os = "linux")]
pub mod kernel;
#[cfg(target_os = "linux")]
mod sys;
