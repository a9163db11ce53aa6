//! View components. Each draws a slice of the [`Frame`](crate::model::Frame) the app model
//! built from the core's `ViewModel`, and decides nothing about the ring.

pub mod actors;
pub mod charts;
pub mod compare_view;
pub mod controls;
pub mod counters;
pub mod event_log;
pub mod header;
pub mod heatmap_canvas;
pub mod lesson_panel;
pub mod link_banner;
pub mod mail_notes;
pub mod motion;
pub mod overflow;
pub mod ring;
pub mod ring_figure;
pub mod seek_status;
pub mod share;
pub mod shortcuts;
pub mod slot_pools;
pub mod sweep_view;
pub mod timeline;
pub mod trace_loader;
pub mod transport;

use crate::model::{ById, Frame};
use yew::prelude::*;

/// Props of the components that draw the current frame.
#[derive(Properties, PartialEq, Clone)]
pub struct FrameProps {
    pub frame: ById<Frame>,
}
