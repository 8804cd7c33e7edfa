//! Jira Software: boards, sprints and the rank order of issues.

use super::{Millis, ProjectId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoardKind {
    Scrum,
    Kanban,
}

impl BoardKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BoardKind::Scrum => "scrum",
            BoardKind::Kanban => "kanban",
        }
    }
    pub fn parse(s: &str) -> Option<BoardKind> {
        match s.to_ascii_lowercase().as_str() {
            "scrum" => Some(BoardKind::Scrum),
            "kanban" => Some(BoardKind::Kanban),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Board {
    pub id: i64,
    pub name: String,
    pub kind: BoardKind,
    pub filter_id: i64,
    /// The project the board belongs to (its location), when it has one.
    pub project_id: Option<ProjectId>,
    pub owner_id: Option<UserId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SprintState {
    Future,
    Active,
    Closed,
}

impl SprintState {
    pub fn as_str(self) -> &'static str {
        match self {
            SprintState::Future => "future",
            SprintState::Active => "active",
            SprintState::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<SprintState> {
        match s.to_ascii_lowercase().as_str() {
            "future" => Some(SprintState::Future),
            "active" => Some(SprintState::Active),
            "closed" => Some(SprintState::Closed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Sprint {
    pub id: i64,
    pub board_id: i64,
    pub name: String,
    pub goal: String,
    pub state: SprintState,
    pub start_date: Option<Millis>,
    pub end_date: Option<Millis>,
    pub complete_date: Option<Millis>,
    pub sequence: i64,
}

/// Rank strings: lowercase base-36 digits compared as strings. A rank between two others
/// is found without touching any other issue, so ranking one issue writes one value.
pub mod rank {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    const BASE: u32 = 36;
    /// Length of the ranks handed out at the end of the order.
    const WIDTH: usize = 6;

    fn digit(s: &[u8], i: usize) -> u32 {
        s.get(i)
            .and_then(|c| DIGITS.iter().position(|d| d == c))
            .map_or(0, |p| p as u32)
    }

    /// A rank strictly between `lo` and `hi` (either end open). Never ends in `0`, so
    /// there is always room below it.
    pub fn between(lo: Option<&str>, hi: Option<&str>) -> String {
        let lo = lo.unwrap_or("").as_bytes();
        let hi = hi.map(str::as_bytes);
        let mut out = Vec::new();
        let mut i = 0;
        loop {
            let a = digit(lo, i);
            // Once `out` is below `hi`'s prefix, the upper bound is open.
            let b = match hi {
                Some(h) if out.as_slice() == &h[..i.min(h.len())] && i < h.len() => digit(h, i),
                _ => BASE,
            };
            if b > a + 1 {
                out.push(DIGITS[((a + b) / 2) as usize]);
                return String::from_utf8_lossy(&out).into_owned();
            }
            out.push(DIGITS[a as usize]);
            i += 1;
        }
    }

    /// Between two ranks appended one after the other: room for thousands of issues
    /// ranked into each gap later, and for millions appended before the head runs out.
    const STEP: u64 = 36 * 36;

    /// The rank after `last` at the end of the order, kept short by stepping its head:
    /// its first `WIDTH` digits read as a number, plus [`STEP`], written back at the
    /// same width (so appending never makes ranks longer). Only once the head is
    /// exhausted does it fall back to the midpoint, which grows.
    pub fn after(last: Option<&str>) -> String {
        let Some(l) = last else {
            return format!("i{}i", "0".repeat(WIDTH - 2));
        };
        let head = (0..WIDTH).fold(0u64, |acc, i| {
            acc * u64::from(BASE) + u64::from(digit(l.as_bytes(), i))
        });
        let next = head + STEP;
        if next >= u64::from(BASE).pow(WIDTH as u32) {
            return between(Some(l), None);
        }
        let mut digits = vec![b'0'; WIDTH];
        let mut n = next;
        for slot in digits.iter_mut().rev() {
            *slot = DIGITS[(n % u64::from(BASE)) as usize];
            n /= u64::from(BASE);
        }
        // Never end in `0`, so there is always room below it.
        if digits.last() == Some(&b'0') {
            digits.push(b'i');
        }
        String::from_utf8_lossy(&digits).into_owned()
    }

    /// A number ordering like the rank (its first 12 digits), for the index's sort.
    pub fn sort_key(r: &str) -> i64 {
        let b = r.as_bytes();
        (0..12).fold(0i64, |acc, i| acc * BASE as i64 + digit(b, i) as i64)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn appending_keeps_ranks_short_and_ordered() {
            let mut last = after(None);
            for _ in 0..10_000 {
                let next = after(Some(&last));
                assert!(next > last, "{next} after {last}");
                assert!(sort_key(&next) > sort_key(&last), "{next} after {last}");
                assert!(next.len() <= WIDTH + 1, "{next}");
                last = next;
            }
            // Ranks from before (the migration's "h" and eight digits) are followed too.
            assert!(after(Some("h00000042")).as_str() > "h00000042");
        }

        #[test]
        fn between_orders_strictly() {
            let a = after(None);
            let b = after(Some(&a));
            assert!(a < b, "{a} {b}");
            let mut lo = a.clone();
            for _ in 0..200 {
                let m = between(Some(&lo), Some(&b));
                assert!(lo < m && m < b, "{lo} {m} {b}");
                lo = m;
            }
            let first = between(None, Some(&a));
            assert!(first < a);
            assert!(sort_key(&first) < sort_key(&a));
            assert!(sort_key(&a) < sort_key(&b));
        }
    }
}
