//! Sample timestamps as Kea prints them: local time, `YYYY-MM-DD HH:MM:SS.ffffff`
//! (ARM `stats.rst`, `statistic-get` example).

use std::sync::LazyLock;
use std::time::SystemTime;

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The system time zone, looked up once: reading `/etc/localtime` per sample would be slow.
static LOCAL_TZ: LazyLock<TimeZone> = LazyLock::new(TimeZone::system);

/// Formats `t` in local time with microseconds, e.g. `2026-11-23 14:20:01.123456`.
pub fn format_timestamp(t: SystemTime) -> String {
    let ts = Timestamp::try_from(t).unwrap_or(Timestamp::UNIX_EPOCH);
    LOCAL_TZ
        .to_datetime(ts)
        .strftime("%Y-%m-%d %H:%M:%S%.6f")
        .to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn layout_has_microseconds() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_micros(1_700_000_000_123_456);
        let s = format_timestamp(t);
        assert_eq!(s.len(), "2026-11-23 14:20:01.123456".len(), "{s}");
        assert!(s.ends_with(".123456"), "{s}");
        assert_eq!(&s[4..5], "-");
        assert_eq!(&s[10..11], " ");
    }
}
