//! Periods, absolute dates and function offsets.

use super::*;

// ---------------------------------------------------------------- dates

#[test]
fn periods() {
    let p = |s| parse_period(s);
    assert_eq!(
        p("-1d"),
        Some(Period {
            months: 0,
            minutes: -1440
        })
    );
    assert_eq!(
        p("-2w 3d"),
        Some(Period {
            months: 0,
            minutes: -(2 * 7 * 1440 + 3 * 1440)
        })
    );
    assert_eq!(
        p("4h"),
        Some(Period {
            months: 0,
            minutes: 240
        })
    );
    assert_eq!(
        p("+30m"),
        Some(Period {
            months: 0,
            minutes: 30
        })
    );
    assert_eq!(
        p("1M"),
        Some(Period {
            months: 1,
            minutes: 0
        })
    );
    assert_eq!(
        p("-1y 2M 1d"),
        Some(Period {
            months: -14,
            minutes: -1440
        })
    );
    assert_eq!(p("1w2d").map(|x| x.seconds()), Some(9 * 86_400));
    for bad in [
        "",
        "-",
        "d",
        "1",
        "1x",
        "1d x",
        "--1d",
        "99999999999999999999d",
        "1.5d",
    ] {
        assert_eq!(p(bad), None, "{bad}");
    }
    assert_eq!(
        parse_function_offset("-1", 'd'),
        Some(Period {
            months: 0,
            minutes: -1440
        })
    );
    assert_eq!(
        parse_function_offset("+1", 'M'),
        Some(Period {
            months: 1,
            minutes: 0
        })
    );
    assert_eq!(
        parse_function_offset("2w", 'd'),
        Some(Period {
            months: 0,
            minutes: 2 * 7 * 1440
        })
    );
    assert_eq!(parse_function_offset("invalid", 'd'), None);
}

#[test]
fn absolute_dates() {
    use time::macros::{date, time};
    assert_eq!(
        parse_absolute("2026-01-31"),
        Some((date!(2026 - 01 - 31), None))
    );
    assert_eq!(
        parse_absolute("2026/1/5 9:05"),
        Some((date!(2026 - 01 - 05), Some(time!(9:05))))
    );
    assert_eq!(
        parse_absolute("2026/01/31 14:00"),
        Some((date!(2026 - 01 - 31), Some(time!(14:00))))
    );
    for bad in [
        "2026-02-30",
        "20/12/10",
        "2026-01-31 25:00",
        "2026-01",
        "2026-01-31T14:00",
        "26-01-31",
        "2026-01/31",
    ] {
        assert_eq!(parse_absolute(bad), None, "{bad}");
    }
    assert_eq!(
        parse_date_value("-5d"),
        Some(DateValue::Relative(Period {
            months: 0,
            minutes: -5 * 1440
        }))
    );
    assert!(matches!(
        parse_date_value("2026-01-31"),
        Some(DateValue::Absolute { .. })
    ));
}
