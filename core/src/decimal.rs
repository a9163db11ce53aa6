//! Decimal text to `f64`, exactly as `str::parse::<f64>` reads it, for the browser's bundle.
//!
//! The standard library reads a float in up to three steps: a fast path, the Eisel-Lemire
//! algorithm, then a slow path for the few inputs the first two cannot round. The
//! Eisel-Lemire step carries a table of 128-bit powers of five (10 KB that gzip cannot
//! shrink); with its code and a big-integer fallback it cost 14.8 KB of the gzipped wasm,
//! where all the app parses is a few numbers a user types or a link carries. This module
//! keeps only the slow path, which is exact on its own: "Simple Decimal Conversion" (Nigel
//! Tao and Ken Thompson), ported from the standard library's `dec2flt::slow` and
//! `dec2flt::decimal_seq`. A correctly rounded result is unique, so [`parse_f64`] returns
//! the same bits as `str::parse` for every input (`tests` compares them on a few hundred
//! thousand generated ones, halfway cases included); it is just slower, which a few
//! numbers per user action do not notice.
//!
//! Every `f64` the browser build parses goes through here: one `str::parse::<f64>` left
//! in the app or the core's link codec links the standard library's table again.

/// `text.parse::<f64>().ok()`: an optional sign, then `inf`, `infinity` or `nan` in any
/// case, or decimal digits with an optional `.` and an optional exponent (`e` or `E`, an
/// optional sign, digits), at least one digit before the exponent; nothing else (no
/// spaces, no `_`). The value is the nearest `f64`, ties to even.
pub fn parse_f64(text: &str) -> Option<f64> {
    let s = text.as_bytes();
    let (negative, s) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let value = if is_number(s) {
        long_mantissa(s)
    } else if s.eq_ignore_ascii_case(b"inf") || s.eq_ignore_ascii_case(b"infinity") {
        f64::INFINITY
    } else if s.eq_ignore_ascii_case(b"nan") {
        f64::NAN
    } else {
        return None;
    };
    Some(if negative { -value } else { value })
}

/// Digits, an optional `.` and digits (at least one digit in all), then optionally `e` or
/// `E`, a sign and at least one digit: the whole of `s`.
fn is_number(s: &[u8]) -> bool {
    let digits = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut at = digits(s);
    let mut mantissa_digits = at;
    if s.get(at) == Some(&b'.') {
        let after = digits(&s[at + 1..]);
        mantissa_digits += after;
        at += 1 + after;
    }
    if mantissa_digits == 0 {
        return false;
    }
    if matches!(s.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(s.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let exponent_digits = digits(&s[at..]);
        if exponent_digits == 0 {
            return false;
        }
        at += exponent_digits;
    }
    at == s.len()
}

const MANTISSA_BITS: u32 = 52;
const MINIMUM_EXPONENT: i32 = -1023;
const INFINITE_POWER: i32 = 0x7FF;

/// The value of a valid number (see [`is_number`], no sign), correctly rounded: the
/// standard library's `parse_long_mantissa` for `f64`.
fn long_mantissa(s: &[u8]) -> f64 {
    const MAX_SHIFT: usize = 60;
    const POWERS: [u8; 19] = [0, 3, 6, 9, 13, 16, 19, 23, 26, 29, 33, 36, 39, 43, 46, 49, 53, 56, 59];
    let shift_for = |n: usize| POWERS.get(n).map_or(MAX_SHIFT, |&p| p as usize);
    let bits = |mantissa: u64, power2: i32| f64::from_bits(mantissa | ((power2 as u64) << MANTISSA_BITS));
    let zero = 0.0;
    let infinity = f64::INFINITY;

    let mut d = Decimal::parse(s);
    if d.num_digits == 0 || d.decimal_point < -324 {
        return zero;
    } else if d.decimal_point >= 310 {
        return infinity;
    }
    let mut exp2 = 0_i32;
    // Shift right toward (1/2 ... 1].
    while d.decimal_point > 0 {
        let shift = shift_for(d.decimal_point as usize);
        d.right_shift(shift);
        if d.decimal_point < -Decimal::DECIMAL_POINT_RANGE {
            return zero;
        }
        exp2 += shift as i32;
    }
    // Shift left toward (1/2 ... 1].
    while d.decimal_point <= 0 {
        let shift = if d.decimal_point == 0 {
            match d.digits[0] {
                digit if digit >= 5 => break,
                0 | 1 => 2,
                _ => 1,
            }
        } else {
            shift_for(-d.decimal_point as usize)
        };
        d.left_shift(shift);
        if d.decimal_point > Decimal::DECIMAL_POINT_RANGE {
            return infinity;
        }
        exp2 -= shift as i32;
    }
    // In [1/2 ... 1]; the binary format's significand is in [1 ... 2].
    exp2 -= 1;
    while MINIMUM_EXPONENT + 1 > exp2 {
        let n = ((MINIMUM_EXPONENT + 1 - exp2) as usize).min(MAX_SHIFT);
        d.right_shift(n);
        exp2 += n as i32;
    }
    if exp2 - MINIMUM_EXPONENT >= INFINITE_POWER {
        return infinity;
    }
    // Shift to the hidden bit, then round to the mantissa and the hidden bit.
    d.left_shift(MANTISSA_BITS as usize + 1);
    let mut mantissa = d.round();
    if mantissa >= 1 << (MANTISSA_BITS + 1) {
        // Rounding carried into the next bit: shift back to the hidden bit.
        d.right_shift(1);
        exp2 += 1;
        mantissa = d.round();
        if exp2 - MINIMUM_EXPONENT >= INFINITE_POWER {
            return infinity;
        }
    }
    let mut power2 = exp2 - MINIMUM_EXPONENT;
    if mantissa < 1 << MANTISSA_BITS {
        power2 -= 1;
    }
    bits(mantissa & ((1 << MANTISSA_BITS) - 1), power2)
}

/// A decimal number as its digits (each 0 to 9) and where its point is: the standard
/// library's `DecimalSeq`.
struct Decimal {
    /// How many digits are significant.
    num_digits: usize,
    /// The point's position among the digits (0: before the first).
    decimal_point: i32,
    /// Whether nonzero digits past `MAX_DIGITS` were dropped.
    truncated: bool,
    digits: [u8; Decimal::MAX_DIGITS],
}

impl Decimal {
    /// Enough digits to round any `f64` input correctly (767, plus one).
    const MAX_DIGITS: usize = 768;
    /// The most decimal digits a `u64` always holds.
    const MAX_DIGITS_WITHOUT_OVERFLOW: usize = 19;
    const DECIMAL_POINT_RANGE: i32 = 2047;

    fn try_add_digit(&mut self, digit: u8) {
        if self.num_digits < Self::MAX_DIGITS {
            self.digits[self.num_digits] = digit;
        }
        self.num_digits += 1;
    }

    fn trim(&mut self) {
        while self.num_digits != 0 && self.digits[self.num_digits - 1] == 0 {
            self.num_digits -= 1;
        }
    }

    /// The integer part, rounded half to even (a dropped nonzero digit breaks a tie up).
    fn round(&self) -> u64 {
        if self.num_digits == 0 || self.decimal_point < 0 {
            return 0;
        } else if self.decimal_point >= Self::MAX_DIGITS_WITHOUT_OVERFLOW as i32 {
            return u64::MAX;
        }
        let dp = self.decimal_point as usize;
        let mut n = 0_u64;
        for i in 0..dp {
            n *= 10;
            if i < self.num_digits {
                n += self.digits[i] as u64;
            }
        }
        let mut round_up = false;
        if dp < self.num_digits {
            round_up = self.digits[dp] >= 5;
            if self.digits[dp] == 5 && dp + 1 == self.num_digits {
                round_up = self.truncated || (dp != 0 && self.digits[dp - 1] & 1 != 0);
            }
        }
        n + round_up as u64
    }

    /// `self * 2^shift`.
    fn left_shift(&mut self, shift: usize) {
        if self.num_digits == 0 {
            return;
        }
        let num_new_digits = self.left_shift_new_digits(shift);
        let mut read_index = self.num_digits;
        let mut write_index = self.num_digits + num_new_digits;
        let mut n = 0_u64;
        let put = |d: &mut Self, write_index: usize, n: u64| {
            let (quotient, remainder) = (n / 10, n % 10);
            if write_index < Self::MAX_DIGITS {
                d.digits[write_index] = remainder as u8;
            } else if remainder > 0 {
                d.truncated = true;
            }
            quotient
        };
        while read_index != 0 {
            read_index -= 1;
            write_index -= 1;
            n += (self.digits[read_index] as u64) << shift;
            n = put(self, write_index, n);
        }
        while n > 0 {
            write_index -= 1;
            n = put(self, write_index, n);
        }
        self.num_digits = (self.num_digits + num_new_digits).min(Self::MAX_DIGITS);
        self.decimal_point += num_new_digits as i32;
        self.trim();
    }

    /// `self * 2^-shift`.
    fn right_shift(&mut self, shift: usize) {
        let mut read_index = 0;
        let mut write_index = 0;
        let mut n = 0_u64;
        while (n >> shift) == 0 {
            if read_index < self.num_digits {
                n = 10 * n + self.digits[read_index] as u64;
                read_index += 1;
            } else if n == 0 {
                return;
            } else {
                while (n >> shift) == 0 {
                    n *= 10;
                    read_index += 1;
                }
                break;
            }
        }
        self.decimal_point -= read_index as i32 - 1;
        if self.decimal_point < -Self::DECIMAL_POINT_RANGE {
            // Rounds to zero: clear without clearing `digits`.
            self.num_digits = 0;
            self.decimal_point = 0;
            self.truncated = false;
            return;
        }
        let mask = (1_u64 << shift) - 1;
        while read_index < self.num_digits {
            let new_digit = (n >> shift) as u8;
            n = 10 * (n & mask) + self.digits[read_index] as u64;
            read_index += 1;
            self.digits[write_index] = new_digit;
            write_index += 1;
        }
        while n > 0 {
            let new_digit = (n >> shift) as u8;
            n = 10 * (n & mask);
            if write_index < Self::MAX_DIGITS {
                self.digits[write_index] = new_digit;
                write_index += 1;
            } else if new_digit > 0 {
                self.truncated = true;
            }
        }
        self.num_digits = write_index;
        self.trim();
    }

    /// A valid number's digits (see [`is_number`], no sign).
    fn parse(mut s: &[u8]) -> Decimal {
        let mut d = Decimal { num_digits: 0, decimal_point: 0, truncated: false, digits: [0; Self::MAX_DIGITS] };
        let start = s;
        fn skip_zeros(mut s: &[u8]) -> &[u8] {
            while let Some((b'0', rest)) = s.split_first() {
                s = rest;
            }
            s
        }
        fn digits<'a>(d: &mut Decimal, mut s: &'a [u8]) -> &'a [u8] {
            while let Some((&c, rest)) = s.split_first().filter(|(c, _)| c.is_ascii_digit()) {
                d.try_add_digit(c - b'0');
                s = rest;
            }
            s
        }
        s = skip_zeros(s);
        s = digits(&mut d, s);
        if let Some((b'.', rest)) = s.split_first() {
            s = rest;
            let first = s;
            if d.num_digits == 0 {
                s = skip_zeros(s);
            }
            s = digits(&mut d, s);
            d.decimal_point = s.len() as i32 - first.len() as i32;
        }
        if d.num_digits != 0 {
            // Trailing zeros are not significant.
            let mut n_trailing_zeros = 0;
            for &c in start[..start.len() - s.len()].iter().rev() {
                if c == b'0' {
                    n_trailing_zeros += 1;
                } else if c != b'.' {
                    break;
                }
            }
            d.decimal_point += n_trailing_zeros as i32;
            d.num_digits -= n_trailing_zeros;
            d.decimal_point += d.num_digits as i32;
            if d.num_digits > Self::MAX_DIGITS {
                d.truncated = true;
                d.num_digits = Self::MAX_DIGITS;
            }
        }
        if let Some((b'e' | b'E', rest)) = s.split_first() {
            s = rest;
            let negative = s.first() == Some(&b'-');
            if matches!(s.first(), Some(b'+' | b'-')) {
                s = &s[1..];
            }
            let mut exp_num = 0_i32;
            for &c in s.iter().take_while(|c| c.is_ascii_digit()) {
                // Saturates, as the standard library's reader does.
                if exp_num < 0x10000 {
                    exp_num = 10 * exp_num + (c - b'0') as i32;
                }
            }
            d.decimal_point += if negative { -exp_num } else { exp_num };
        }
        for digit in d.digits.iter_mut().take(Self::MAX_DIGITS_WITHOUT_OVERFLOW).skip(d.num_digits) {
            *digit = 0;
        }
        d
    }

    /// How many digits `left_shift(shift)` adds: the digits of `2^shift`, less one when
    /// the number's leading digits are below those of `5^shift`.
    fn left_shift_new_digits(&self, shift: usize) -> usize {
        let shift = shift & 63;
        let (x_a, x_b) = (LEFT_SHIFT[shift], LEFT_SHIFT[shift + 1]);
        let num_new_digits = (x_a >> 11) as usize;
        let pow5 = &LEFT_SHIFT_POW5[(0x7FF & x_a) as usize..(0x7FF & x_b) as usize];
        for (i, &p5) in pow5.iter().enumerate() {
            if i >= self.num_digits || self.digits[i] < p5 {
                return num_new_digits - 1;
            } else if self.digits[i] > p5 {
                return num_new_digits;
            }
        }
        num_new_digits
    }
}

/// For each shift: the new digits (top 5 bits) and where `5^shift`'s digits start in
/// [`LEFT_SHIFT_POW5`] (low 11 bits).
#[rustfmt::skip]
const LEFT_SHIFT: [u16; 65] = [
    0x0000, 0x0800, 0x0801, 0x0803, 0x1006, 0x1009, 0x100D, 0x1812, 0x1817, 0x181D, 0x2024,
    0x202B, 0x2033, 0x203C, 0x2846, 0x2850, 0x285B, 0x3067, 0x3073, 0x3080, 0x388E, 0x389C,
    0x38AB, 0x38BB, 0x40CC, 0x40DD, 0x40EF, 0x4902, 0x4915, 0x4929, 0x513E, 0x5153, 0x5169,
    0x5180, 0x5998, 0x59B0, 0x59C9, 0x61E3, 0x61FD, 0x6218, 0x6A34, 0x6A50, 0x6A6D, 0x6A8B,
    0x72AA, 0x72C9, 0x72E9, 0x7B0A, 0x7B2B, 0x7B4D, 0x8370, 0x8393, 0x83B7, 0x83DC, 0x8C02,
    0x8C28, 0x8C4F, 0x9477, 0x949F, 0x94C8, 0x9CF2, 0x051C, 0x051C, 0x051C, 0x051C,
];

/// The decimal digits of `5^1`, `5^2`, ... `5^60`, one after the other.
#[rustfmt::skip]
const LEFT_SHIFT_POW5: [u8; 0x051C] = [
    5, 2, 5, 1, 2, 5, 6, 2, 5, 3, 1, 2, 5, 1, 5, 6, 2, 5, 7, 8, 1, 2, 5, 3, 9, 0, 6, 2, 5, 1,
    9, 5, 3, 1, 2, 5, 9, 7, 6, 5, 6, 2, 5, 4, 8, 8, 2, 8, 1, 2, 5, 2, 4, 4, 1, 4, 0, 6, 2, 5,
    1, 2, 2, 0, 7, 0, 3, 1, 2, 5, 6, 1, 0, 3, 5, 1, 5, 6, 2, 5, 3, 0, 5, 1, 7, 5, 7, 8, 1, 2,
    5, 1, 5, 2, 5, 8, 7, 8, 9, 0, 6, 2, 5, 7, 6, 2, 9, 3, 9, 4, 5, 3, 1, 2, 5, 3, 8, 1, 4, 6,
    9, 7, 2, 6, 5, 6, 2, 5, 1, 9, 0, 7, 3, 4, 8, 6, 3, 2, 8, 1, 2, 5, 9, 5, 3, 6, 7, 4, 3, 1,
    6, 4, 0, 6, 2, 5, 4, 7, 6, 8, 3, 7, 1, 5, 8, 2, 0, 3, 1, 2, 5, 2, 3, 8, 4, 1, 8, 5, 7, 9,
    1, 0, 1, 5, 6, 2, 5, 1, 1, 9, 2, 0, 9, 2, 8, 9, 5, 5, 0, 7, 8, 1, 2, 5, 5, 9, 6, 0, 4, 6,
    4, 4, 7, 7, 5, 3, 9, 0, 6, 2, 5, 2, 9, 8, 0, 2, 3, 2, 2, 3, 8, 7, 6, 9, 5, 3, 1, 2, 5, 1,
    4, 9, 0, 1, 1, 6, 1, 1, 9, 3, 8, 4, 7, 6, 5, 6, 2, 5, 7, 4, 5, 0, 5, 8, 0, 5, 9, 6, 9, 2,
    3, 8, 2, 8, 1, 2, 5, 3, 7, 2, 5, 2, 9, 0, 2, 9, 8, 4, 6, 1, 9, 1, 4, 0, 6, 2, 5, 1, 8, 6,
    2, 6, 4, 5, 1, 4, 9, 2, 3, 0, 9, 5, 7, 0, 3, 1, 2, 5, 9, 3, 1, 3, 2, 2, 5, 7, 4, 6, 1, 5,
    4, 7, 8, 5, 1, 5, 6, 2, 5, 4, 6, 5, 6, 6, 1, 2, 8, 7, 3, 0, 7, 7, 3, 9, 2, 5, 7, 8, 1, 2,
    5, 2, 3, 2, 8, 3, 0, 6, 4, 3, 6, 5, 3, 8, 6, 9, 6, 2, 8, 9, 0, 6, 2, 5, 1, 1, 6, 4, 1, 5,
    3, 2, 1, 8, 2, 6, 9, 3, 4, 8, 1, 4, 4, 5, 3, 1, 2, 5, 5, 8, 2, 0, 7, 6, 6, 0, 9, 1, 3, 4,
    6, 7, 4, 0, 7, 2, 2, 6, 5, 6, 2, 5, 2, 9, 1, 0, 3, 8, 3, 0, 4, 5, 6, 7, 3, 3, 7, 0, 3, 6,
    1, 3, 2, 8, 1, 2, 5, 1, 4, 5, 5, 1, 9, 1, 5, 2, 2, 8, 3, 6, 6, 8, 5, 1, 8, 0, 6, 6, 4, 0,
    6, 2, 5, 7, 2, 7, 5, 9, 5, 7, 6, 1, 4, 1, 8, 3, 4, 2, 5, 9, 0, 3, 3, 2, 0, 3, 1, 2, 5, 3,
    6, 3, 7, 9, 7, 8, 8, 0, 7, 0, 9, 1, 7, 1, 2, 9, 5, 1, 6, 6, 0, 1, 5, 6, 2, 5, 1, 8, 1, 8,
    9, 8, 9, 4, 0, 3, 5, 4, 5, 8, 5, 6, 4, 7, 5, 8, 3, 0, 0, 7, 8, 1, 2, 5, 9, 0, 9, 4, 9, 4,
    7, 0, 1, 7, 7, 2, 9, 2, 8, 2, 3, 7, 9, 1, 5, 0, 3, 9, 0, 6, 2, 5, 4, 5, 4, 7, 4, 7, 3, 5,
    0, 8, 8, 6, 4, 6, 4, 1, 1, 8, 9, 5, 7, 5, 1, 9, 5, 3, 1, 2, 5, 2, 2, 7, 3, 7, 3, 6, 7, 5,
    4, 4, 3, 2, 3, 2, 0, 5, 9, 4, 7, 8, 7, 5, 9, 7, 6, 5, 6, 2, 5, 1, 1, 3, 6, 8, 6, 8, 3, 7,
    7, 2, 1, 6, 1, 6, 0, 2, 9, 7, 3, 9, 3, 7, 9, 8, 8, 2, 8, 1, 2, 5, 5, 6, 8, 4, 3, 4, 1, 8,
    8, 6, 0, 8, 0, 8, 0, 1, 4, 8, 6, 9, 6, 8, 9, 9, 4, 1, 4, 0, 6, 2, 5, 2, 8, 4, 2, 1, 7, 0,
    9, 4, 3, 0, 4, 0, 4, 0, 0, 7, 4, 3, 4, 8, 4, 4, 9, 7, 0, 7, 0, 3, 1, 2, 5, 1, 4, 2, 1, 0,
    8, 5, 4, 7, 1, 5, 2, 0, 2, 0, 0, 3, 7, 1, 7, 4, 2, 2, 4, 8, 5, 3, 5, 1, 5, 6, 2, 5, 7, 1,
    0, 5, 4, 2, 7, 3, 5, 7, 6, 0, 1, 0, 0, 1, 8, 5, 8, 7, 1, 1, 2, 4, 2, 6, 7, 5, 7, 8, 1, 2,
    5, 3, 5, 5, 2, 7, 1, 3, 6, 7, 8, 8, 0, 0, 5, 0, 0, 9, 2, 9, 3, 5, 5, 6, 2, 1, 3, 3, 7, 8,
    9, 0, 6, 2, 5, 1, 7, 7, 6, 3, 5, 6, 8, 3, 9, 4, 0, 0, 2, 5, 0, 4, 6, 4, 6, 7, 7, 8, 1, 0,
    6, 6, 8, 9, 4, 5, 3, 1, 2, 5, 8, 8, 8, 1, 7, 8, 4, 1, 9, 7, 0, 0, 1, 2, 5, 2, 3, 2, 3, 3,
    8, 9, 0, 5, 3, 3, 4, 4, 7, 2, 6, 5, 6, 2, 5, 4, 4, 4, 0, 8, 9, 2, 0, 9, 8, 5, 0, 0, 6, 2,
    6, 1, 6, 1, 6, 9, 4, 5, 2, 6, 6, 7, 2, 3, 6, 3, 2, 8, 1, 2, 5, 2, 2, 2, 0, 4, 4, 6, 0, 4,
    9, 2, 5, 0, 3, 1, 3, 0, 8, 0, 8, 4, 7, 2, 6, 3, 3, 3, 6, 1, 8, 1, 6, 4, 0, 6, 2, 5, 1, 1,
    1, 0, 2, 2, 3, 0, 2, 4, 6, 2, 5, 1, 5, 6, 5, 4, 0, 4, 2, 3, 6, 3, 1, 6, 6, 8, 0, 9, 0, 8,
    2, 0, 3, 1, 2, 5, 5, 5, 5, 1, 1, 1, 5, 1, 2, 3, 1, 2, 5, 7, 8, 2, 7, 0, 2, 1, 1, 8, 1, 5,
    8, 3, 4, 0, 4, 5, 4, 1, 0, 1, 5, 6, 2, 5, 2, 7, 7, 5, 5, 5, 7, 5, 6, 1, 5, 6, 2, 8, 9, 1,
    3, 5, 1, 0, 5, 9, 0, 7, 9, 1, 7, 0, 2, 2, 7, 0, 5, 0, 7, 8, 1, 2, 5, 1, 3, 8, 7, 7, 7, 8,
    7, 8, 0, 7, 8, 1, 4, 4, 5, 6, 7, 5, 5, 2, 9, 5, 3, 9, 5, 8, 5, 1, 1, 3, 5, 2, 5, 3, 9, 0,
    6, 2, 5, 6, 9, 3, 8, 8, 9, 3, 9, 0, 3, 9, 0, 7, 2, 2, 8, 3, 7, 7, 6, 4, 7, 6, 9, 7, 9, 2,
    5, 5, 6, 7, 6, 2, 6, 9, 5, 3, 1, 2, 5, 3, 4, 6, 9, 4, 4, 6, 9, 5, 1, 9, 5, 3, 6, 1, 4, 1,
    8, 8, 8, 2, 3, 8, 4, 8, 9, 6, 2, 7, 8, 3, 8, 1, 3, 4, 7, 6, 5, 6, 2, 5, 1, 7, 3, 4, 7, 2,
    3, 4, 7, 5, 9, 7, 6, 8, 0, 7, 0, 9, 4, 4, 1, 1, 9, 2, 4, 4, 8, 1, 3, 9, 1, 9, 0, 6, 7, 3,
    8, 2, 8, 1, 2, 5, 8, 6, 7, 3, 6, 1, 7, 3, 7, 9, 8, 8, 4, 0, 3, 5, 4, 7, 2, 0, 5, 9, 6, 2,
    2, 4, 0, 6, 9, 5, 9, 5, 3, 3, 6, 9, 1, 4, 0, 6, 2, 5,
];

#[cfg(test)]
mod tests {
    use super::*;

    /// `parse_f64` gives what `str::parse` gives: both refuse, or the same bits.
    fn agrees(text: &str) {
        let ours = parse_f64(text).map(f64::to_bits);
        let std = text.parse::<f64>().ok().map(f64::to_bits);
        assert_eq!(ours, std, "{text:?}");
    }

    /// A small deterministic generator (splitmix64).
    struct Gen(u64);
    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// `n * factor^times` in decimal, for exact halfway values of any size.
    fn times_power(n: u128, factor: u32, times: u32) -> String {
        let mut limbs = vec![]; // base 10^9, least significant first
        let mut n = n;
        while n > 0 {
            limbs.push((n % 1_000_000_000) as u64);
            n /= 1_000_000_000;
        }
        for _ in 0..times {
            let mut carry = 0;
            for limb in &mut limbs {
                let v = *limb * factor as u64 + carry;
                *limb = v % 1_000_000_000;
                carry = v / 1_000_000_000;
            }
            if carry > 0 {
                limbs.push(carry);
            }
        }
        let mut text = limbs.last().map_or("0".to_string(), |top| top.to_string());
        for limb in limbs.iter().rev().skip(1) {
            text += &format!("{limb:09}");
        }
        text
    }

    #[test]
    fn the_left_shift_tables_hold_the_digits_of_powers_of_five() {
        let mut offset = 0;
        for shift in 1..=60_u32 {
            let five = times_power(1, 5, shift);
            let digits: Vec<u8> = five.bytes().map(|c| c - b'0').collect();
            assert_eq!(&LEFT_SHIFT_POW5[offset..offset + digits.len()], &digits[..], "5^{shift}");
            let two = times_power(1, 2, shift);
            assert_eq!(LEFT_SHIFT[shift as usize], ((two.len() as u16) << 11) | offset as u16, "shift {shift}");
            offset += digits.len();
        }
        assert_eq!(offset, LEFT_SHIFT_POW5.len());
        assert!(LEFT_SHIFT[61..].iter().all(|&x| x == offset as u16));
    }

    #[test]
    fn reads_what_the_standard_library_reads_and_refuses_what_it_refuses() {
        let cases = [
            "",
            "+",
            "-",
            ".",
            "e",
            "e1",
            ".e1",
            "1e",
            "1e+",
            "1e-",
            "1.",
            ".5",
            "-.5",
            "+.5e-3",
            "1..2",
            "1.2.3",
            "1e1e1",
            "++1",
            "+-1",
            "--1",
            " 1",
            "1 ",
            "1_000",
            "0x10",
            "1,5",
            "١",
            "inf",
            "-inf",
            "+INF",
            "Infinity",
            "-iNfInItY",
            "infinit",
            "infinityy",
            "nan",
            "-NaN",
            "+nan",
            "nana",
            "in",
            "0",
            "-0",
            "+0.0",
            "0e999999",
            "0.0e-999999",
            "00000.00000",
            "1e308",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1e309",
            "-1e309",
            "4.9e-324",
            "5e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "1e-400",
            "1e99999999999",
            "1e-99999999999",
            "9007199254740993",
            "9007199254740992.5",
            "9007199254740993.0000000000000000001",
            "0.1",
            "0.2",
            "0.3",
            "123456789012345678901234567890",
            "1.5",
            "2.5",
            "3.5",
            "0.000001",
            "100000",
            "1e22",
            "1e23",
            "8.98846567431158e307",
        ];
        for text in cases {
            agrees(text);
        }
        // Long inputs: more digits than the reader keeps (768), around the halfway point of 1 and its successor.
        let half_up = format!("1.00000000000000011102230246251565404236316680908203125{}1", "0".repeat(900));
        let half_exact = format!("1.00000000000000011102230246251565404236316680908203125{}", "0".repeat(900));
        let many = format!("{}e-800", "7".repeat(1000));
        for text in [half_up, half_exact, many, "0.".to_string() + &"0".repeat(2000) + "1e2000"] {
            agrees(&text);
        }
    }

    #[test]
    fn agrees_on_short_strings_of_number_characters() {
        let alphabet = b"0123456789.eE+-iInNfFaAtTyY _";
        let mut gen = Gen(1);
        for _ in 0..300_000 {
            let len = gen.below(8) as usize;
            let text: String = (0..len).map(|_| alphabet[gen.below(alphabet.len() as u64) as usize] as char).collect();
            agrees(&text);
        }
    }

    #[test]
    fn agrees_on_every_way_rust_prints_a_float() {
        let mut gen = Gen(2);
        for _ in 0..40_000 {
            let x = f64::from_bits(gen.next());
            for text in [
                format!("{x}"),
                format!("{x:e}"),
                format!("{x:.3e}"),
                format!("{x:.16e}"),
                format!("{x:.30e}"),
                format!("{x:.3}"),
                format!("{x:E}"),
            ] {
                agrees(&text);
            }
        }
        // Numbers as users type them: a few digits, a point somewhere, a small exponent.
        for _ in 0..100_000 {
            let digits = gen.next() % 10_u64.pow(1 + gen.below(12) as u32);
            let text = format!("{digits}");
            let point = gen.below(text.len() as u64 + 1) as usize;
            let exponent = gen.below(60) as i32 - 30;
            agrees(&format!("{}.{}", &text[..point], &text[point..]));
            agrees(&format!("{}.{}e{exponent}", &text[..point], &text[point..]));
        }
    }

    #[test]
    fn rounds_exact_halfway_values_to_even_and_near_ones_to_the_nearest() {
        let mut gen = Gen(3);
        for case in 0..3_000 {
            // x = m * 2^e, the midpoint to its successor (2m + 1) * 2^(e - 1), normal and subnormal.
            let (m, e) = if case % 4 == 0 {
                (gen.below(1 << 52).max(1), -1074)
            } else {
                ((1 << 52) | gen.below(1 << 52), gen.below(2045) as i32 - 1074)
            };
            let odd = (2 * m + 1) as u128;
            let (digits, exp10) = if e >= 1 {
                (times_power(odd, 2, (e - 1) as u32), 0)
            } else {
                (times_power(odd, 5, (1 - e) as u32), e - 1)
            };
            agrees(&format!("{digits}e{exp10}"));
            agrees(&format!("{digits}1e{}", exp10 - 1));
            let below = digits.trim_end_matches('0');
            let last = below.len() - 1;
            let lowered = format!("{}{}", &below[..last], (below.as_bytes()[last] - b'1') as char);
            let zeros = (digits.len() - below.len()) as i32;
            agrees(&format!("{lowered}9999e{}", exp10 + zeros - 4));
        }
    }
}
