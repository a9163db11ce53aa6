//! Scenario files: a model, a workload (or a script of steps), a reaper and a seed,
//! plus optional lesson text. TOML on disk, the same structure as JSON.

use crate::error::ConfigError;
use crate::model::{Kernel, ModelSpec};
use crate::reaper::ReaperSpec;
use crate::script::{Script, Step};
use crate::workload::Workload;
use serde::{Deserialize, Serialize};

fn default_seed() -> u64 {
    1
}

/// A point in a lesson where playback pauses and narration is shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PausePoint {
    /// Simulated time of the pause, in ns (for scripted scenarios: after this many steps, see `after_step`).
    #[serde(default)]
    pub at_ns: Option<u64>,
    /// For scripted scenarios: pause after this step (1-based).
    #[serde(default)]
    pub after_step: Option<u32>,
    pub narration: String,
}

/// Teaching text around a scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    #[serde(default)]
    pub goal: String,
    /// A question to ask before playing.
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub pauses: Vec<PausePoint>,
    /// What the run shows, revealed at the end.
    #[serde(default)]
    pub reveal: String,
}

/// Everything that determines a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[serde(default)]
    pub title: String,
    #[serde(default = "default_seed")]
    pub seed: u64,
    pub model: ModelSpec,
    #[serde(default)]
    pub reaper: ReaperSpec,
    #[serde(default)]
    pub workload: Workload,
    /// A scripted scenario: these steps instead of the stochastic workload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<Step>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<Lesson>,
}

impl Scenario {
    /// Parses and validates a scenario file.
    pub fn from_toml_str(text: &str) -> Result<Scenario, ConfigError> {
        let scenario: Scenario = toml::from_str(text).map_err(|e| {
            let message = e.message().to_string();
            ConfigError::new("", format!("bad scenario file: {message}"))
        })?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Parses and validates a scenario written as JSON.
    pub fn from_json_str(text: &str) -> Result<Scenario, ConfigError> {
        let scenario: Scenario =
            serde_json::from_str(text).map_err(|e| ConfigError::new("", format!("bad scenario: {e}")))?;
        scenario.validate()?;
        Ok(scenario)
    }

    pub fn to_toml_string(&self) -> String {
        toml::to_string(self).expect("a scenario serializes to TOML")
    }

    /// Checks every field, including what the kernel would refuse at setup.
    pub fn validate(&self) -> Result<(), ConfigError> {
        Kernel::setup(&self.model).map_err(|e| e.within("model"))?;
        self.reaper.validate().map_err(|e| e.within("reaper"))?;
        self.workload.validate().map_err(|e| e.within("workload"))?;
        if let Some(steps) = &self.steps {
            Script { model: self.model.clone(), steps: steps.clone() }.validate()?;
        } else if self.workload.phases.is_empty() {
            return Err(ConfigError::new("workload.phases", "a scenario needs at least one phase, or a list of steps"));
        }
        Ok(())
    }

    /// The scenario as a script, when it is one.
    pub fn script(&self) -> Option<Script> {
        self.steps.as_ref().map(|steps| Script { model: self.model.clone(), steps: steps.clone() })
    }
}
