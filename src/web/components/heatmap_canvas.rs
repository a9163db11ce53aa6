//! The heatmap's colours: the viridis ramp, and [`HeatmapCanvas`], which paints a model's
//! cells on a `<canvas>` of one pixel per cell, scaled up without smoothing under the
//! grid's SVG (components/sweep_view.rs). The SVG keeps a transparent `<rect>` per cell for
//! the pointer, the keyboard and the test hooks; the colours live in the canvas, so that a
//! redraw as cells arrive repaints one image instead of thousands of shapes, and the page's
//! frames stay within budget while a sweep runs (issue 16).

use std::rc::Rc;
use yew::prelude::*;

/// Viridis, 9 stops: ordered in lightness, readable by every kind of colour vision.
const RAMP: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (71, 44, 122),
    (59, 81, 139),
    (44, 113, 142),
    (33, 144, 141),
    (39, 173, 129),
    (92, 200, 99),
    (170, 220, 50),
    (253, 231, 37),
];

/// The ramp's colour at `t` in 0..=1, interpolated.
pub fn ramp_rgb(t: f64) -> (u8, u8, u8) {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let at = t * (RAMP.len() - 1) as f64;
    let (i, f) = (at.floor() as usize, at.fract());
    let (a, b) = (RAMP[i], RAMP[(i + 1).min(RAMP.len() - 1)]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The ramp's colour at `t` as CSS (`#rrggbb`).
pub fn ramp(t: f64) -> String {
    let (r, g, b) = ramp_rgb(t);
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Where `v` sits in the legend's range (0 when the range is one value).
fn position(v: f64, (lo, hi): (f64, f64)) -> f64 {
    if hi > lo {
        (v - lo) / (hi - lo)
    } else {
        0.0
    }
}

/// The canvas's RGBA bytes: `values` are a model's cells row by row from the bottom row
/// (`iy` 0) up, `nx` to a row; the image's first row is the top one. A cell not computed
/// yet (or without a legend) is transparent, showing the canvas's "pending" background.
pub fn pixels(values: &[Option<f64>], nx: u32, ny: u32, legend: Option<(f64, f64)>) -> Vec<u8> {
    let (nx, ny) = (nx as usize, ny as usize);
    let mut out = vec![0u8; nx * ny * 4];
    for (row, line) in out.chunks_exact_mut(nx * 4).enumerate() {
        let iy = ny - 1 - row;
        for (ix, px) in line.chunks_exact_mut(4).enumerate() {
            if let (Some(Some(v)), Some(range)) = (values.get(iy * nx + ix), legend) {
                let (r, g, b) = ramp_rgb(position(*v, range));
                px.copy_from_slice(&[r, g, b, 255]);
            }
        }
    }
    out
}

#[derive(Properties, PartialEq, Clone)]
pub struct HeatmapCanvasProps {
    pub nx: u32,
    pub ny: u32,
    /// [`pixels`]' bytes.
    pub pixels: Rc<Vec<u8>>,
    /// Where the canvas sits in the plot (CSS, in % of the plot's box).
    pub style: AttrValue,
}

/// Paints [`pixels`] after each render that changed them (yew renders a component again
/// only when its props change).
#[component]
pub fn HeatmapCanvas(p: &HeatmapCanvasProps) -> Html {
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        use_effect_with((p.nx, p.ny, p.pixels.clone()), move |(nx, ny, pixels)| paint(&canvas, *nx, *ny, pixels));
    }
    html! {
        <canvas ref={canvas} class="sweep__pixels" width={p.nx.to_string()} height={p.ny.to_string()} style={p.style.clone()}
                aria-hidden="true" />
    }
}

#[cfg(target_arch = "wasm32")]
fn paint(canvas: &NodeRef, nx: u32, ny: u32, pixels: &[u8]) {
    use wasm_bindgen::{Clamped, JsCast};
    let Some(canvas) = canvas.cast::<web_sys::HtmlCanvasElement>() else { return };
    let Some(context) =
        canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    if let Ok(image) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(pixels), nx, ny) {
        let _ = context.put_image_data(&image, 0.0, 0.0);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn paint(_canvas: &NodeRef, _nx: u32, _ny: u32, _pixels: &[u8]) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ramp_runs_dark_to_light() {
        assert_eq!(ramp(0.0), "#440154");
        assert_eq!(ramp(1.0), "#fde725");
        assert_eq!(ramp(f64::NAN), "#440154");
        assert_eq!(ramp_rgb(0.5), (33, 144, 141));
    }

    #[test]
    fn the_image_puts_the_bottom_row_last_and_pending_cells_transparent() {
        // 2 × 2: bottom row (iy 0) 0 and pending; top row (iy 1) 1 and 0.5.
        let values = [Some(0.0), None, Some(1.0), Some(0.5)];
        let img = pixels(&values, 2, 2, Some((0.0, 1.0)));
        assert_eq!(img.len(), 16);
        assert_eq!(&img[0..4], &[253, 231, 37, 255], "top left: iy 1, ix 0 = 1, the light end");
        assert_eq!(&img[4..8], &[33, 144, 141, 255], "top right: 0.5");
        assert_eq!(&img[8..12], &[68, 1, 84, 255], "bottom left: 0, the dark end");
        assert_eq!(&img[12..16], &[0, 0, 0, 0], "bottom right: not computed yet");
        assert!(pixels(&values, 2, 2, None).iter().all(|&b| b == 0), "no legend yet: all pending");
    }
}
