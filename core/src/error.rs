//! Errors: the kernel's error numbers (part of what a model observes) and
//! configuration errors (bad input, named by field with the allowed range).

use serde::{Deserialize, Serialize};
use std::fmt;

/// An error number a system call returns, by its C name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Errno {
    EINVAL,
    EAGAIN,
    EBUSY,
    EBADR,
    ETIME,
    /// A call on a closed file descriptor (an io_uring ring after teardown).
    EBADF,
}

impl Errno {
    pub fn name(self) -> &'static str {
        match self {
            Errno::EINVAL => "EINVAL",
            Errno::EAGAIN => "EAGAIN",
            Errno::EBUSY => "EBUSY",
            Errno::EBADR => "EBADR",
            Errno::ETIME => "ETIME",
            Errno::EBADF => "EBADF",
        }
    }

    /// Parses a C error name such as `"EBUSY"`.
    pub fn from_name(name: &str) -> Option<Errno> {
        [Errno::EINVAL, Errno::EAGAIN, Errno::EBUSY, Errno::EBADR, Errno::ETIME, Errno::EBADF]
            .into_iter()
            .find(|e| e.name() == name)
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Bad input: which field, and what is allowed. Never a panic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// Dotted path of the field, e.g. `model.cq_entries` or `workload.phases[1].submit_rate`.
    pub field: String,
    /// What is wrong and what is allowed.
    pub message: String,
    /// Set when the real kernel would refuse this at setup with this error number
    /// (the value is legal input for a script, whose setup line then reports it).
    pub errno: Option<Errno>,
}

impl ConfigError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigError { field: field.into(), message: message.into(), errno: None }
    }

    /// A value the kernel itself rejects at setup (`io_setup`, `io_uring_setup`).
    pub fn kernel(errno: Errno, field: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigError { field: field.into(), message: message.into(), errno: Some(errno) }
    }

    /// Prefixes the field path, e.g. `cq_entries` becomes `model.cq_entries`.
    pub fn within(mut self, parent: &str) -> Self {
        self.field = if self.field.is_empty() { parent.to_string() } else { format!("{parent}.{}", self.field) };
        self
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }?;
        if let Some(errno) = self.errno {
            write!(f, " (the kernel returns {errno})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}
