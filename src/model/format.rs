//! Pure formatting helpers: simulated time for people, and the playback speed scale.

/// Simulated time for people: `0 µs`, `750 ns`, `12.5 µs`, `400 µs`, `1.250 ms`, `2.000 s`.
pub fn format_ns(ns: u64) -> String {
    if ns == 0 {
        "0 µs".to_string()
    } else if ns < 1_000 {
        format!("{ns} ns")
    } else if ns < 1_000_000 {
        if ns.is_multiple_of(1_000) || ns >= 100_000 {
            format!("{} µs", ns / 1_000)
        } else {
            format!("{:.1} µs", ns as f64 / 1e3)
        }
    } else if ns < 1_000_000_000 {
        format!("{:.3} ms", ns as f64 / 1e6)
    } else {
        format!("{:.3} s", ns as f64 / 1e9)
    }
}

/// A duration as a short, round label: `781 ns`, `50 µs`, `1.6 ms`, `2 s`.
pub fn format_span(ns: f64) -> String {
    let (value, unit) = if ns < 1e3 {
        (ns, "ns")
    } else if ns < 1e6 {
        (ns / 1e3, "µs")
    } else if ns < 1e9 {
        (ns / 1e6, "ms")
    } else {
        (ns / 1e9, "s")
    };
    let text = if value >= 100.0 || (value - value.round()).abs() < 1e-9 {
        format!("{}", value.round())
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    };
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_string() } else { text };
    format!("{text} {unit}")
}

/// Simulated nanoseconds per wall-clock second at speed ×1.
pub const BASE_NS_PER_SECOND: f64 = 50_000.0;
/// The speed scale is logarithmic: step `k` plays `2^k` times as fast as ×1.
pub const MIN_SPEED: i32 = -6;
pub const MAX_SPEED: i32 = 12;

/// Simulated nanoseconds that pass per wall-clock second at speed step `k`.
pub fn sim_ns_per_second(k: i32) -> f64 {
    BASE_NS_PER_SECOND * 2f64.powi(k.clamp(MIN_SPEED, MAX_SPEED))
}

/// The factor as people write it: `×1`, `×8`, `×1/4`.
pub fn speed_factor(k: i32) -> String {
    let k = k.clamp(MIN_SPEED, MAX_SPEED);
    if k >= 0 {
        format!("×{}", 1u64 << k)
    } else {
        format!("×1/{}", 1u64 << -k)
    }
}

/// The label that ties speed to simulated time: `×8 · 1 s on screen = 400 µs simulated`.
pub fn speed_label(k: i32) -> String {
    format!("{} · 1 s on screen = {} simulated", speed_factor(k), format_span(sim_ns_per_second(k)))
}

/// Parses a non-negative decimal number of microseconds into nanoseconds.
pub fn parse_us(text: &str) -> Option<u64> {
    let v = ringlab_core::decimal::parse_f64(text.trim())?;
    (v.is_finite() && (0.0..=1e12).contains(&v)).then(|| (v * 1e3).round() as u64)
}

/// Nanoseconds as a microsecond value for an input field: `40`, `0.5`.
pub fn us_text(ns: u64) -> String {
    if ns.is_multiple_of(1_000) {
        (ns / 1_000).to_string()
    } else {
        let s = format!("{:.3}", ns as f64 / 1e3);
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_naturally() {
        assert_eq!(format_ns(0), "0 µs");
        assert_eq!(format_ns(750), "750 ns");
        assert_eq!(format_ns(12_500), "12.5 µs");
        assert_eq!(format_ns(400_000), "400 µs");
        assert_eq!(format_ns(1_250_000), "1.250 ms");
        assert_eq!(format_ns(2_000_000_000), "2.000 s");
    }

    #[test]
    fn spans_are_short() {
        assert_eq!(format_span(781.25), "781 ns");
        assert_eq!(format_span(50_000.0), "50 µs");
        assert_eq!(format_span(1_600_000.0), "1.6 ms");
        assert_eq!(format_span(2e9), "2 s");
        assert_eq!(format_span(12_500.0), "12.5 µs");
    }

    #[test]
    fn the_speed_scale_is_logarithmic_and_labelled_in_simulated_time() {
        assert_eq!(sim_ns_per_second(0), 50_000.0);
        assert_eq!(sim_ns_per_second(3), 400_000.0);
        assert_eq!(sim_ns_per_second(-1), 25_000.0);
        assert_eq!(speed_label(3), "×8 · 1 s on screen = 400 µs simulated");
        assert_eq!(speed_label(-2), "×1/4 · 1 s on screen = 12.5 µs simulated");
        assert_eq!(speed_factor(99), speed_factor(MAX_SPEED));
    }

    #[test]
    fn microsecond_fields_round_trip() {
        assert_eq!(parse_us("40"), Some(40_000));
        assert_eq!(parse_us(" 0.5 "), Some(500));
        assert_eq!(parse_us("-1"), None);
        assert_eq!(parse_us("abc"), None);
        assert_eq!(parse_us("NaN"), None);
        assert_eq!(us_text(40_000), "40");
        assert_eq!(us_text(500), "0.5");
    }
}
