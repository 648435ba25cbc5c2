//! The `Date` header in the IMF-fixdate form of RFC 9110 §5.6.7 (`Mon, 23 Nov 2026 14:46:49
//! GMT`), which Kea's control agent puts on every answer.

use jiff::Timestamp;

/// `ts` as an HTTP date.
pub fn http_date(ts: Timestamp) -> String {
    ts.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// The current time as an HTTP date.
pub fn now() -> String {
    http_date(Timestamp::now())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[test]
    fn imf_fixdate() {
        let ts: Timestamp = "2026-11-23T14:46:09Z".parse().unwrap();
        assert_eq!(http_date(ts), "Mon, 23 Nov 2026 14:46:09 GMT");
        let ts: Timestamp = "2000-01-02T03:04:05.9Z".parse().unwrap();
        assert_eq!(http_date(ts), "Sun, 02 Jan 2000 03:04:05 GMT");
    }
}
