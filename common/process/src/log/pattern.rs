//! log4cplus layout patterns, the subset Kea documents (ARM `logging.rst`, "Logging Message
//! Format"): `%D{fmt}` local time, `%d{fmt}` UTC, `%q` milliseconds and `%Q` fractional
//! milliseconds inside the date, `%p` severity, `%c` logger, `%i` PID, `%t` thread, `%m`
//! message, `%n` newline, `%%`, each with optional `-`, minimum width and `.max` width.
//! A pattern is compiled once per configuration; rendering only appends to a buffer.

use std::fmt::Write as _;
use std::sync::LazyLock;

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// Default layout for stdout, stderr and files.
pub const DEFAULT_PATTERN: &str = "%D{%Y-%m-%d %H:%M:%S.%q} %-5p [%c/%i.%t] %m\n";
/// Default layout for syslog (syslog adds its own timestamp).
pub const DEFAULT_SYSLOG_PATTERN: &str = "%-5p [%c.%t] %m\n";

static LOCAL_TZ: LazyLock<TimeZone> = LazyLock::new(TimeZone::system);

/// Everything a line can show about one event.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// When it happened.
    pub time: Timestamp,
    /// `FATAL`, `ERROR`, ...
    pub severity: &'a str,
    /// Logger name.
    pub logger: &'a str,
    /// Process id.
    pub pid: u32,
    /// Thread id.
    pub tid: i32,
    /// Message id, if the event has one.
    pub msgid: Option<&'a str>,
    /// Message text.
    pub text: &'a str,
}

#[derive(Debug, Clone, PartialEq)]
enum DatePart {
    /// Passed to jiff's strftime.
    Strftime(String),
    /// `%q`: milliseconds, three digits.
    Millis,
    /// `%Q`: milliseconds with three decimals.
    MillisFrac,
}

#[derive(Debug, Clone, PartialEq)]
enum Conv {
    Literal(String),
    Date { utc: bool, parts: Vec<DatePart> },
    Severity,
    Logger,
    Pid,
    Thread,
    Message,
}

#[derive(Debug, Clone, PartialEq)]
struct Item {
    conv: Conv,
    left: bool,
    min: usize,
    max: Option<usize>,
}

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    items: Vec<Item>,
}

fn compile_date(fmt: &str) -> Vec<DatePart> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '%' {
            match chars.peek() {
                Some('q') | Some('Q') => {
                    let q = chars.next() == Some('q');
                    if !cur.is_empty() {
                        parts.push(DatePart::Strftime(std::mem::take(&mut cur)));
                    }
                    parts.push(if q {
                        DatePart::Millis
                    } else {
                        DatePart::MillisFrac
                    });
                    continue;
                }
                Some(&n) => {
                    chars.next();
                    cur.push('%');
                    cur.push(n);
                    continue;
                }
                None => {}
            }
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        parts.push(DatePart::Strftime(cur));
    }
    parts
}

impl Pattern {
    /// Compiles a pattern; unknown conversions are kept as literal text.
    pub fn compile(pattern: &str) -> Self {
        let mut items = Vec::new();
        let mut lit = String::new();
        let chars: Vec<char> = pattern.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] != '%' || i + 1 >= chars.len() {
                lit.push(chars[i]);
                i += 1;
                continue;
            }
            let start = i;
            i += 1;
            if chars[i] == '%' {
                lit.push('%');
                i += 1;
                continue;
            }
            let left = chars[i] == '-';
            if left {
                i += 1;
            }
            let mut min = 0usize;
            while i < chars.len() && chars[i].is_ascii_digit() {
                min = min * 10 + chars[i].to_digit(10).map_or(0, |d| d as usize);
                i += 1;
            }
            let mut max = None;
            if i < chars.len() && chars[i] == '.' {
                i += 1;
                let mut m = 0usize;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    m = m * 10 + chars[i].to_digit(10).map_or(0, |d| d as usize);
                    i += 1;
                }
                max = Some(m);
            }
            let Some(&c) = chars.get(i) else {
                lit.extend(&chars[start..]);
                break;
            };
            i += 1;
            let conv = match c {
                'd' | 'D' => {
                    let mut fmt = "%Y-%m-%d %H:%M:%S".to_owned();
                    if chars.get(i) == Some(&'{')
                        && let Some(end) = chars[i..].iter().position(|&c| c == '}')
                    {
                        fmt = chars[i + 1..i + end].iter().collect();
                        i += end + 1;
                    }
                    Conv::Date {
                        utc: c == 'd',
                        parts: compile_date(&fmt),
                    }
                }
                'p' => Conv::Severity,
                'c' => Conv::Logger,
                'i' => Conv::Pid,
                't' | 'T' => Conv::Thread,
                'm' => Conv::Message,
                'n' => {
                    lit.push('\n');
                    continue;
                }
                _ => {
                    lit.extend(&chars[start..i]);
                    continue;
                }
            };
            if !lit.is_empty() {
                items.push(Item {
                    conv: Conv::Literal(std::mem::take(&mut lit)),
                    left: false,
                    min: 0,
                    max: None,
                });
            }
            items.push(Item {
                conv,
                left,
                min,
                max,
            });
        }
        if !lit.is_empty() {
            items.push(Item {
                conv: Conv::Literal(lit),
                left: false,
                min: 0,
                max: None,
            });
        }
        Self { items }
    }

    /// Appends the line for `r` to `out`.
    pub fn render(&self, r: &Record<'_>, out: &mut String) {
        let mut field = String::new();
        for item in &self.items {
            let target: &mut String = if item.min == 0 && item.max.is_none() {
                &mut *out
            } else {
                &mut field
            };
            match &item.conv {
                Conv::Literal(s) => target.push_str(s),
                Conv::Date { utc, parts } => render_date(r.time, *utc, parts, target),
                Conv::Severity => target.push_str(r.severity),
                Conv::Logger => target.push_str(r.logger),
                Conv::Pid => {
                    let _ = write!(target, "{}", r.pid);
                }
                Conv::Thread => {
                    let _ = write!(target, "{}", r.tid);
                }
                Conv::Message => {
                    if let Some(id) = r.msgid {
                        target.push_str(id);
                        target.push(' ');
                    }
                    target.push_str(r.text);
                }
            }
            if item.min != 0 || item.max.is_some() {
                pad(&mut field, item, out);
                field.clear();
            }
        }
    }
}

fn pad(field: &mut String, item: &Item, out: &mut String) {
    if let Some(max) = item.max {
        // log4cplus truncates from the left.
        let len = field.chars().count();
        if len > max {
            let skip = len - max;
            *field = field.chars().skip(skip).collect();
        }
    }
    let len = field.chars().count();
    let fill = item.min.saturating_sub(len);
    if !item.left {
        out.extend(std::iter::repeat_n(' ', fill));
    }
    out.push_str(field);
    if item.left {
        out.extend(std::iter::repeat_n(' ', fill));
    }
}

fn render_date(t: Timestamp, utc: bool, parts: &[DatePart], out: &mut String) {
    let dt: DateTime = if utc {
        TimeZone::UTC.to_datetime(t)
    } else {
        LOCAL_TZ.to_datetime(t)
    };
    for p in parts {
        match p {
            DatePart::Strftime(f) => {
                let _ = write!(out, "{}", dt.strftime(f));
            }
            DatePart::Millis => {
                let _ = write!(out, "{:03}", dt.subsec_nanosecond() / 1_000_000);
            }
            DatePart::MillisFrac => {
                let us = dt.subsec_nanosecond() / 1_000;
                let _ = write!(out, "{:03}.{:03}", us / 1000, us % 1000);
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    fn record(time: Timestamp) -> Record<'static> {
        Record {
            time,
            severity: "INFO",
            logger: "kea-dhcp4.dhcp4",
            pid: 10921,
            tid: 42,
            msgid: Some("DHCP4_STARTING"),
            text: "Kea DHCPv4 server version 2.2.0 (stable) starting",
        }
    }

    #[test]
    fn default_layout() {
        let t: Timestamp = "2026-11-23T14:18:03.976928Z".parse().unwrap();
        let mut out = String::new();
        Pattern::compile("%d{%Y-%m-%d %H:%M:%S.%q} %-5p [%c/%i.%t] %m\n")
            .render(&record(t), &mut out);
        assert_eq!(
            out,
            "2026-11-23 14:18:03.976 INFO  [kea-dhcp4.dhcp4/10921.42] DHCP4_STARTING Kea DHCPv4 server version 2.2.0 (stable) starting\n"
        );
    }

    #[test]
    fn widths_and_literals() {
        let t: Timestamp = "2026-11-23T14:18:03.976928Z".parse().unwrap();
        let mut out = String::new();
        Pattern::compile("%5p|%.3c|%%|%Q|%x%n").render(&record(t), &mut out);
        assert_eq!(out, " INFO|cp4|%|%Q|%x\n");
        out.clear();
        Pattern::compile("%d{%H:%M:%S.%Q}").render(&record(t), &mut out);
        assert_eq!(out, "14:18:03.976.928");
        out.clear();
        Pattern::compile(DEFAULT_SYSLOG_PATTERN).render(&record(t), &mut out);
        assert_eq!(
            out,
            "INFO  [kea-dhcp4.dhcp4.42] DHCP4_STARTING Kea DHCPv4 server version 2.2.0 (stable) starting\n"
        );
    }
}
