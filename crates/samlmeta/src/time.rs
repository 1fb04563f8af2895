//! Points in time, passed in by the caller.
//!
//! The core never reads the clock: `std::time::SystemTime::now()` panics on
//! `wasm32-unknown-unknown`, and a clock read deep inside a check makes it untestable. The page
//! passes the browser's `Date.now()`, the CLI passes the system time, tests pass fixed values.

use core::fmt;

/// Seconds since 1970-01-01T00:00:00Z (UTC, leap seconds ignored, as in X.509 and Unix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(i64);

/// Seconds in a day.
pub const DAY: i64 = 86_400;

impl UnixTime {
    /// The time `seconds` after the Unix epoch.
    #[must_use]
    pub const fn from_seconds(seconds: i64) -> Self {
        Self(seconds)
    }

    /// Seconds since the Unix epoch.
    #[must_use]
    pub const fn seconds(self) -> i64 {
        self.0
    }

    /// Whole days from `self` until `later` (negative when `later` is earlier), rounded down.
    #[must_use]
    pub const fn days_until(self, later: Self) -> i64 {
        later.0.saturating_sub(self.0).div_euclid(DAY)
    }

    /// The calendar date, `YYYY-MM-DD` (UTC).
    #[must_use]
    pub fn date(self) -> String {
        let (y, m, d) = civil_from_days(self.0.div_euclid(DAY));
        format!("{y:04}-{m:02}-{d:02}")
    }
}

impl fmt::Display for UnixTime {
    /// RFC 3339 in UTC: `2026-11-29T03:23:44Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.rem_euclid(DAY);
        write!(
            f,
            "{}T{:02}:{:02}:{:02}Z",
            self.date(),
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        )
    }
}

impl UnixTime {
    /// An RFC 3339 date-time, `2026-12-01T09:30:00Z` or with an offset (`+01:00`); fractions of
    /// a second are dropped. `None` for anything else.
    #[must_use]
    pub fn parse_rfc3339(text: &str) -> Option<Self> {
        let text = text.trim();
        let num = |s: &str| -> Option<i64> {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let date = text.get(..10)?;
        let (sep, rest) = (text.get(10..11)?, text.get(11..)?);
        if !matches!(sep, "T" | "t" | " ") {
            return None;
        }
        let mut parts = date.split('-');
        let (y, m, d) = (
            num(parts.next()?)?,
            num(parts.next()?)?,
            num(parts.next()?)?,
        );
        let time = rest.get(..8)?;
        let mut hms = time.split(':');
        let (hh, mm, ss) = (num(hms.next()?)?, num(hms.next()?)?, num(hms.next()?)?);
        let mut zone = rest.get(8..)?;
        if let Some(fraction) = zone.strip_prefix('.') {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            zone = fraction.get(digits..)?;
        }
        let offset = match zone {
            "Z" | "z" => 0,
            _ => {
                let sign = match zone.get(..1)? {
                    "+" => 1,
                    "-" => -1,
                    _ => return None,
                };
                let (oh, om) = zone.get(1..)?.split_once(':')?;
                let (oh, om) = (num(oh)?, num(om)?);
                if oh > 23 || om > 59 || zone.len() != 6 {
                    return None;
                }
                sign * (oh * 3600 + om * 60)
            }
        };
        let days_in_month = match m {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
            2 => 28,
            _ => return None,
        };
        if date.len() != 10 || d < 1 || d > days_in_month || hh > 23 || mm > 59 || ss > 60 {
            return None;
        }
        let days = days_from_civil(y, m, d);
        Some(Self(days * DAY + hh * 3600 + mm * 60 + ss.min(59) - offset))
    }
}

/// (year, month, day) in the proleptic Gregorian calendar to days since 1970-01-01 (Howard
/// Hinnant's `days_from_civil`).
const fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    // d is in 1..=31 and m in 1..=12 by construction.
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

/// An `xs:duration` in days, hours, minutes and seconds (`P7D`, `PT1H30M`, `PT604800S`) as
/// seconds; `None` for anything else (years and months have no fixed length, so they are refused).
#[must_use]
pub fn parse_xs_duration(text: &str) -> Option<u64> {
    let rest = text.trim().strip_prefix('P')?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    if date.is_empty() && time.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    for (part, units) in [
        (date, &[('D', 86_400u64)][..]),
        (time, &[('H', 3600), ('M', 60), ('S', 1)][..]),
    ] {
        let mut number = String::new();
        let mut allowed = units.iter();
        for c in part.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let (_, factor) = allowed.by_ref().find(|(unit, _)| *unit == c)?;
            total = total.checked_add(number.parse::<u64>().ok()?.checked_mul(*factor)?)?;
            number.clear();
        }
        if !number.is_empty() {
            return None;
        }
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_xs_duration("PT604800S"), Some(604_800));
        assert_eq!(parse_xs_duration("P7D"), Some(604_800));
        assert_eq!(
            parse_xs_duration("P1DT1H30M5S"),
            Some(86_400 + 3600 + 1800 + 5)
        );
        for bad in [
            "",
            "P",
            "PT",
            "7D",
            "P1H",
            "PT5",
            "PT1S1H",
            "P1Y",
            "2026-01-01T00:00:00Z",
        ] {
            assert_eq!(parse_xs_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_dates_and_times() {
        assert_eq!(
            UnixTime::from_seconds(0).to_string(),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(
            UnixTime::from_seconds(1_796_441_024).to_string(),
            "2026-12-05T03:23:44Z"
        );
        assert_eq!(UnixTime::from_seconds(951_782_400).date(), "2000-02-29");
        assert_eq!(
            UnixTime::from_seconds(-1).to_string(),
            "1969-12-31T23:59:59Z"
        );
    }

    #[test]
    fn reads_rfc3339() {
        for (text, seconds) in [
            ("1970-01-01T00:00:00Z", 0),
            ("2026-12-05T03:23:44Z", 1_796_441_024),
            ("2026-12-05t03:23:44.999z", 1_796_441_024),
            ("2026-12-05T04:23:44+01:00", 1_796_441_024),
            ("2026-12-04T22:23:44-05:00", 1_796_441_024),
            ("2000-02-29 00:00:00Z", 951_782_400),
            ("1969-12-31T23:59:59Z", -1),
        ] {
            assert_eq!(
                UnixTime::parse_rfc3339(text),
                Some(UnixTime::from_seconds(seconds)),
                "{text}"
            );
        }
        for bad in [
            "",
            "2026-12-05",
            "2026-12-05T03:23:44",
            "2026-02-30T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-12-05T24:00:00Z",
            "2026-12-05T03:23:44+1:00",
            "2026-12-05T03:23:44.Z",
            "+2026-12-05T03:23:44Z",
            "2026-12-05T03:23:44Zjunk",
        ] {
            assert_eq!(UnixTime::parse_rfc3339(bad), None, "{bad}");
        }
        // What Display writes, parse reads.
        let t = UnixTime::from_seconds(1_234_567_890);
        assert_eq!(UnixTime::parse_rfc3339(&t.to_string()), Some(t));
    }

    #[test]
    fn counts_whole_days() {
        let t = UnixTime::from_seconds(1_000_000);
        assert_eq!(
            t.days_until(UnixTime::from_seconds(1_000_000 + 30 * DAY)),
            30
        );
        assert_eq!(t.days_until(UnixTime::from_seconds(1_000_000 + DAY - 1)), 0);
        assert_eq!(t.days_until(UnixTime::from_seconds(1_000_000 - 1)), -1);
    }
}
