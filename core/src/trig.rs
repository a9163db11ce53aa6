//! Sine and cosine with the same bits as `f64::sin` and `f64::cos` in the browser (the
//! `libm` code that Rust's wasm target calls), for the angles a figure uses.
//!
//! libm reduces a large argument (beyond 2^20·π/2, about 1.6 million) with a multi-word
//! multiplication by 2/π (`rem_pio2_large`); with its tables and the rest of the reduction
//! that is 9 KB of wasm, 3 KB gzipped, which the ring's angles (a few turns at most) never
//! reach. This module is libm's `sin`, `cos`, `k_sin`, `k_cos` and `rem_pio2` without
//! that step: the same operations in the same order, so the same results (its constants
//! written with all of libm's digits, hence the `allow`).
#![allow(clippy::excessive_precision)]

/// `(x.sin(), x.cos())` as libm computes them, for `|x|` below 2^20·π/2; `NaN`s beyond
/// (and for infinities and `NaN`, as libm gives).
pub fn sin_cos(x: f64) -> (f64, f64) {
    let ix = (x.to_bits() >> 32) as u32 & 0x7fff_ffff;
    if ix <= 0x3fe9_21fb {
        // |x| ~< π/4: no reduction.
        let sin = if ix < 0x3e50_0000 { x } else { k_sin(x, 0.0, false) };
        let cos = if ix < 0x3e46_a09e && x as i32 == 0 { 1.0 } else { k_cos(x, 0.0) };
        return (sin, cos);
    }
    if ix >= 0x4139_21fb {
        // Infinity, NaN, or an argument libm reduces with `rem_pio2_large`.
        return (f64::NAN, f64::NAN);
    }
    let (n, y0, y1) = rem_pio2(x, ix);
    let (s, c) = (k_sin(y0, y1, true), k_cos(y0, y1));
    match n & 3 {
        0 => (s, c),
        1 => (c, -s),
        2 => (-s, -c),
        _ => (-c, s),
    }
}

/// `sin(x + y)` for `|x + y|` ~< π/4, `y` the tail of a reduced argument (`tail`: `y` is
/// not zero).
fn k_sin(x: f64, y: f64, tail: bool) -> f64 {
    const S1: f64 = -1.666_666_666_666_663_243_48e-1;
    const S2: f64 = 8.333_333_333_322_489_461_24e-3;
    const S3: f64 = -1.984_126_982_985_794_931_34e-4;
    const S4: f64 = 2.755_731_370_707_006_767_89e-6;
    const S5: f64 = -2.505_076_025_340_686_341_95e-8;
    const S6: f64 = 1.589_690_995_211_550_102_21e-10;
    let z = x * x;
    let w = z * z;
    let r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
    let v = z * x;
    if tail {
        x - ((z * (0.5 * y - v * r) - y) - v * S1)
    } else {
        x + v * (S1 + z * r)
    }
}

/// `cos(x + y)` for `|x + y|` ~< π/4.
fn k_cos(x: f64, y: f64) -> f64 {
    const C1: f64 = 4.166_666_666_666_660_190_37e-2;
    const C2: f64 = -1.388_888_888_887_410_957_49e-3;
    const C3: f64 = 2.480_158_728_947_672_941_78e-5;
    const C4: f64 = -2.755_731_435_139_066_330_35e-7;
    const C5: f64 = 2.087_572_321_298_174_827_90e-9;
    const C6: f64 = -1.135_964_755_778_819_482_65e-11;
    let z = x * x;
    let w = z * z;
    let r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
    let hz = 0.5 * z;
    let w = 1.0 - hz;
    w + (((1.0 - w) - hz) + (z * r - x * y))
}

const PIO2_1: f64 = 1.570_796_326_734_125_614_17; // the first 33 bits of π/2
const PIO2_1T: f64 = 6.077_100_506_506_192_249_32e-11; // π/2 - PIO2_1

/// `x` as `n·π/2 + (y0 + y1)`, `|y0 + y1|` ~< π/4, for `|x|` below 2^20·π/2 (`ix`: the
/// high word of `|x|`).
fn rem_pio2(x: f64, ix: u32) -> (i32, f64, f64) {
    let negative = x.is_sign_negative();
    // n·π/2 subtracted in one round (good to 85 bits) for small n, as libm does.
    let near = |n: i32| {
        let k = n as f64;
        if negative {
            let z = x + k * PIO2_1;
            let y0 = z + k * PIO2_1T;
            (-n, y0, (z - y0) + k * PIO2_1T)
        } else {
            let z = x - k * PIO2_1;
            let y0 = z - k * PIO2_1T;
            (n, y0, (z - y0) - k * PIO2_1T)
        }
    };
    if ix <= 0x400f_6a7a {
        // |x| ~<= 5π/4
        if ix & 0xfffff == 0x921fb {
            return medium(x, ix); // |x| ~= π/2 or π: cancellation
        }
        return near(if ix <= 0x4002_d97c { 1 } else { 2 });
    }
    if ix <= 0x401c_463b {
        // |x| ~<= 9π/4
        if ix == 0x4012_d97c || ix == 0x4019_21fb {
            return medium(x, ix); // |x| ~= 3π/2 or 2π
        }
        return near(if ix <= 0x4015_fdbc { 3 } else { 4 });
    }
    medium(x, ix)
}

/// libm's reduction for medium arguments: n = rint(x·2/π), then x - n·π/2 in up to three
/// rounds.
fn medium(x: f64, ix: u32) -> (i32, f64, f64) {
    const TO_INT: f64 = 1.5 / f64::EPSILON;
    const INV_PIO2: f64 = std::f64::consts::FRAC_2_PI; // libm's 0x3FE45F30_6DC9C883
    const PIO2_2: f64 = 6.077_100_506_303_965_976_60e-11;
    const PIO2_2T: f64 = 2.022_266_248_795_950_631_54e-21;
    const PIO2_3: f64 = 2.022_266_248_711_166_455_80e-21;
    const PIO2_3T: f64 = 8.478_427_660_368_899_569_97e-32;
    let exponent = |y: f64| (y.to_bits() >> 52) as i32 & 0x7ff;
    let f_n = (x * INV_PIO2 + TO_INT) - TO_INT;
    let n = f_n as i32;
    let mut r = x - f_n * PIO2_1;
    let mut w = f_n * PIO2_1T;
    let mut y0 = r - w;
    let ex = (ix >> 20) as i32;
    if ex - exponent(y0) > 16 {
        let t = r;
        w = f_n * PIO2_2;
        r = t - w;
        w = f_n * PIO2_2T - ((t - r) - w);
        y0 = r - w;
        if ex - exponent(y0) > 49 {
            let t = r;
            w = f_n * PIO2_3;
            r = t - w;
            w = f_n * PIO2_3T - ((t - r) - w);
            y0 = r - w;
        }
    }
    (n, y0, (r - y0) - w)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agrees(x: f64) {
        let (s, c) = sin_cos(x);
        assert_eq!((s.to_bits(), c.to_bits()), (libm::sin(x).to_bits(), libm::cos(x).to_bits()), "{x:e}");
    }

    #[test]
    fn gives_libms_bits_for_every_angle_of_a_figure() {
        // Every tenth of a degree over ±4 turns, as the ring's `polar` converts them.
        for tenth in -14_400..=14_400 {
            agrees((tenth as f64 / 10.0).to_radians());
        }
        // The branch points: multiples of π/4 and their neighbours, tiny arguments, zero.
        for k in (-80..=80).filter(|&k| k != 0) {
            let x = k as f64 * std::f64::consts::FRAC_PI_4;
            for ulps in -3_i64..=3 {
                agrees(f64::from_bits((x.to_bits() as i64 + ulps) as u64));
            }
        }
        for x in [0.0, -0.0, 1e-300, -1e-20, 1e-8, 3e-8, 2e-9, f64::MIN_POSITIVE, 5e-324] {
            agrees(x);
        }
    }

    #[test]
    fn gives_libms_bits_up_to_where_the_large_reduction_starts() {
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Uniform in magnitude from 2^-30 up to 2^20·π/2, either sign.
            let magnitude = 2f64.powf((x >> 11) as f64 / (1u64 << 53) as f64 * 50.6 - 30.0);
            agrees(if x & 1 == 0 { magnitude } else { -magnitude });
        }
        // Near n·π/2, where the reduction cancels most bits and takes its second and third rounds.
        for n in (1..1_000_000_u32).step_by(331) {
            let x = n as f64 * std::f64::consts::FRAC_PI_2;
            for ulps in -2_i64..=2 {
                agrees(f64::from_bits((x.to_bits() as i64 + ulps) as u64));
            }
        }
    }

    #[test]
    fn is_nan_where_libm_is_and_beyond_the_figures_range() {
        for x in [f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 1.7e6, -1e300] {
            let (s, c) = sin_cos(x);
            assert!(s.is_nan() && c.is_nan(), "{x:e}");
        }
    }
}
