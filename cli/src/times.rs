//! Readable NumericDates: RFC 3339 and "in 53m" / "2h ago".

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Now, in Unix seconds.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// `2026-12-04T15:00:00Z`, or the raw number when out of range.
pub fn rfc3339(unix: i64) -> String {
    u64::try_from(unix)
        .ok()
        .and_then(|secs| UNIX_EPOCH.checked_add(Duration::from_secs(secs)))
        .filter(|time| *time < UNIX_EPOCH + Duration::from_secs(253_402_300_799))
        .map_or_else(
            || unix.to_string(),
            |time| humantime::format_rfc3339_seconds(time).to_string(),
        )
}

/// `in 53m 2s` or `2h 1m ago`, relative to `now`.
pub fn relative(unix: i64, now: u64) -> String {
    let now = i128::from(now);
    let delta = i128::from(unix) - now;
    let magnitude = u64::try_from(delta.unsigned_abs()).unwrap_or(u64::MAX);
    let text = humantime::format_duration(Duration::from_secs(magnitude)).to_string();
    if delta >= 0 {
        format!("in {text}")
    } else {
        format!("{text} ago")
    }
}
