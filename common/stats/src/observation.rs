//! One statistic: its type, its bounded sample history and its JSON form
//! (ARM `stats.rst`, "Statistics Overview" and "Time Series").

use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::timefmt::format_timestamp;

/// Samples kept per statistic unless configured otherwise
/// (`statistic-default-sample-count`, ARM `stats.rst`).
pub const DEFAULT_MAX_SAMPLE_COUNT: u32 = 20;

/// The kind of value a statistic holds; fixed when the statistic is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatType {
    /// 64-bit signed counter (`pkt4-received`).
    Integer,
    /// 128-bit counter for totals that can exceed 2^63 (`total-nas` on large v6 pools).
    BigInteger,
    /// Floating point value.
    Float,
    /// Time span, printed as `HH:MM:SS.ffffff`.
    Duration,
    /// Text.
    String,
}

impl StatType {
    /// Kea's name of the type, as used in its error messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Integer => "integer",
            Self::BigInteger => "big integer",
            Self::Float => "float",
            Self::Duration => "duration",
            Self::String => "string",
        }
    }
}

/// One observed value.
#[derive(Debug, Clone, PartialEq)]
pub enum StatValue {
    /// See [`StatType::Integer`].
    Integer(i64),
    /// See [`StatType::BigInteger`].
    BigInteger(i128),
    /// See [`StatType::Float`].
    Float(f64),
    /// See [`StatType::Duration`].
    Duration(Duration),
    /// See [`StatType::String`].
    String(String),
}

impl StatValue {
    /// The type of this value.
    pub fn stat_type(&self) -> StatType {
        match self {
            Self::Integer(_) => StatType::Integer,
            Self::BigInteger(_) => StatType::BigInteger,
            Self::Float(_) => StatType::Float,
            Self::Duration(_) => StatType::Duration,
            Self::String(_) => StatType::String,
        }
    }

    /// The neutral value a reset leaves behind (0, 0.0, zero duration, empty string).
    pub fn neutral(kind: StatType) -> Self {
        match kind {
            StatType::Integer => Self::Integer(0),
            StatType::BigInteger => Self::BigInteger(0),
            StatType::Float => Self::Float(0.0),
            StatType::Duration => Self::Duration(Duration::ZERO),
            StatType::String => Self::String(String::new()),
        }
    }

    /// The JSON element Kea prints for this value.
    pub fn to_json(&self) -> Value {
        match self {
            Self::Integer(v) => Value::from(*v),
            // Values beyond i64 render as floats: serde_json has no 128-bit integers
            // without its arbitrary_precision feature.
            Self::BigInteger(v) => i64::try_from(*v)
                .map(Value::from)
                .unwrap_or_else(|_| Value::from(*v as f64)),
            Self::Float(v) => Value::from(*v),
            Self::Duration(d) => Value::String(format_duration(*d)),
            Self::String(s) => Value::String(s.clone()),
        }
    }

    /// `self + other` for accumulating types (string concatenates, as Kea does).
    fn accumulate(&self, other: Self) -> Result<Self, StatType> {
        Ok(match (self, other) {
            (Self::Integer(a), Self::Integer(b)) => Self::Integer(a.wrapping_add(b)),
            (Self::BigInteger(a), Self::BigInteger(b)) => Self::BigInteger(a.wrapping_add(b)),
            (Self::Float(a), Self::Float(b)) => Self::Float(a + b),
            (Self::Duration(a), Self::Duration(b)) => Self::Duration(a.saturating_add(b)),
            (Self::String(a), Self::String(b)) => Self::String(format!("{a}{b}")),
            (_, other) => return Err(other.stat_type()),
        })
    }
}

impl From<i64> for StatValue {
    fn from(v: i64) -> Self {
        Self::Integer(v)
    }
}
impl From<i128> for StatValue {
    fn from(v: i128) -> Self {
        Self::BigInteger(v)
    }
}
impl From<f64> for StatValue {
    fn from(v: f64) -> Self {
        Self::Float(v)
    }
}
impl From<Duration> for StatValue {
    fn from(v: Duration) -> Self {
        Self::Duration(v)
    }
}
impl From<String> for StatValue {
    fn from(v: String) -> Self {
        Self::String(v)
    }
}
impl From<&str> for StatValue {
    fn from(v: &str) -> Self {
        Self::String(v.to_owned())
    }
}

/// `HH:MM:SS.ffffff`, Kea's rendering of a duration sample.
fn format_duration(d: Duration) -> String {
    let secs = d.as_secs();
    format!(
        "{:02}:{:02}:{:02}.{:06}",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60,
        d.subsec_micros()
    )
}

/// Errors from changing a statistic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatError {
    /// The statistic exists with another type than the value offered.
    #[error("statistic '{name}' holds {expected} values, not {actual}")]
    TypeMismatch {
        /// Statistic name.
        name: String,
        /// The statistic's type.
        expected: &'static str,
        /// The type of the offered value.
        actual: &'static str,
    },
}

/// How the history of one statistic is bounded. Kea keeps exactly one limit active:
/// setting the age limit disables the count limit and vice versa.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleLimit {
    /// Keep at most this many samples (at least one is always kept).
    Count(u32),
    /// Keep samples no older than this relative to the newest one.
    Age(Duration),
}

impl Default for SampleLimit {
    fn default() -> Self {
        Self::Count(DEFAULT_MAX_SAMPLE_COUNT)
    }
}

/// A statistic: a typed, bounded, newest-first history of timestamped samples.
#[derive(Debug, Clone)]
pub struct Observation {
    kind: StatType,
    limit: SampleLimit,
    /// Newest first, never empty.
    samples: VecDeque<(StatValue, SystemTime)>,
}

impl Observation {
    /// A statistic whose first sample is `value`, taken now.
    pub fn new(value: StatValue, limit: SampleLimit) -> Self {
        let mut samples = VecDeque::with_capacity(4);
        let kind = value.stat_type();
        samples.push_front((value, SystemTime::now()));
        Self {
            kind,
            limit,
            samples,
        }
    }

    /// The statistic's type.
    pub fn stat_type(&self) -> StatType {
        self.kind
    }

    /// The current (newest) value.
    pub fn current(&self) -> &StatValue {
        // The history is never empty: every constructor and reset pushes one sample.
        &self.samples[0].0
    }

    /// Number of samples currently kept.
    pub fn sample_count(&self) -> usize {
        self.samples.len()
    }

    /// The active history bound.
    pub fn limit(&self) -> SampleLimit {
        self.limit
    }

    /// Records `value` as a new sample.
    pub fn set_value(&mut self, value: StatValue) -> Result<(), StatType> {
        if value.stat_type() != self.kind {
            return Err(value.stat_type());
        }
        self.push(value);
        Ok(())
    }

    /// Records current + `value` as a new sample.
    pub fn add_value(&mut self, value: StatValue) -> Result<(), StatType> {
        let next = self.current().accumulate(value)?;
        self.push(next);
        Ok(())
    }

    /// Drops the history and leaves one neutral sample, taken now.
    pub fn reset(&mut self) {
        self.samples.clear();
        self.samples
            .push_front((StatValue::neutral(self.kind), SystemTime::now()));
    }

    /// Changes the bound and trims the history to it.
    pub fn set_limit(&mut self, limit: SampleLimit) {
        self.limit = limit;
        self.trim();
    }

    /// The statistic's samples as Kea prints them: `[[value, "timestamp"], ...]`, newest first.
    pub fn to_json(&self) -> Value {
        Value::Array(
            self.samples
                .iter()
                .map(|(v, t)| Value::Array(vec![v.to_json(), Value::String(format_timestamp(*t))]))
                .collect(),
        )
    }

    fn push(&mut self, value: StatValue) {
        self.samples.push_front((value, SystemTime::now()));
        self.trim();
    }

    fn trim(&mut self) {
        match self.limit {
            SampleLimit::Count(max) => {
                let max = usize::try_from(max.max(1)).unwrap_or(usize::MAX);
                self.samples.truncate(max);
            }
            SampleLimit::Age(age) => {
                let newest = self.samples[0].1;
                while self.samples.len() > 1 {
                    let oldest = self.samples[self.samples.len() - 1].1;
                    match newest.duration_since(oldest) {
                        Ok(span) if span > age => {
                            self.samples.pop_back();
                        }
                        _ => break,
                    }
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[test]
    fn add_accumulates_and_keeps_newest_first() {
        let mut o = Observation::new(StatValue::Integer(0), SampleLimit::default());
        o.add_value(StatValue::Integer(2)).unwrap();
        o.add_value(StatValue::Integer(3)).unwrap();
        assert_eq!(o.current(), &StatValue::Integer(5));
        let json = o.to_json();
        assert_eq!(json[0][0], 5);
        assert_eq!(json[2][0], 0);
        assert_eq!(o.sample_count(), 3);
    }

    #[test]
    fn count_limit_trims_oldest() {
        let mut o = Observation::new(StatValue::Integer(0), SampleLimit::Count(3));
        for i in 1..10 {
            o.set_value(StatValue::Integer(i)).unwrap();
        }
        assert_eq!(o.sample_count(), 3);
        assert_eq!(o.to_json()[2][0], 7);
        o.set_limit(SampleLimit::Count(1));
        assert_eq!(o.sample_count(), 1);
        assert_eq!(o.current(), &StatValue::Integer(9));
    }

    #[test]
    fn age_limit_keeps_recent_samples() {
        let mut o = Observation::new(
            StatValue::Float(1.0),
            SampleLimit::Age(Duration::from_secs(60)),
        );
        for _ in 0..5 {
            o.add_value(StatValue::Float(0.5)).unwrap();
        }
        assert_eq!(o.sample_count(), 6);
        o.set_limit(SampleLimit::Age(Duration::ZERO));
        assert!(o.sample_count() >= 1);
        assert_eq!(o.current(), &StatValue::Float(3.5));
    }

    #[test]
    fn type_mismatch_is_rejected() {
        let mut o = Observation::new(StatValue::Integer(0), SampleLimit::default());
        assert_eq!(o.add_value(StatValue::Float(1.0)), Err(StatType::Float));
        assert_eq!(o.set_value("x".into()), Err(StatType::String));
        assert_eq!(o.current(), &StatValue::Integer(0));
    }

    #[test]
    fn reset_leaves_one_neutral_sample() {
        let mut o = Observation::new(StatValue::from("ab"), SampleLimit::default());
        o.add_value("cd".into()).unwrap();
        assert_eq!(o.current(), &StatValue::from("abcd"));
        o.reset();
        assert_eq!(o.sample_count(), 1);
        assert_eq!(o.current(), &StatValue::from(""));
    }

    #[test]
    fn duration_renders_like_kea() {
        let v = StatValue::Duration(Duration::from_micros(3_723_000_042));
        assert_eq!(v.to_json(), Value::String("01:02:03.000042".into()));
    }
}
