//! View components. Each draws a slice of the core's `ViewModel` and decides nothing.

pub mod ring;
