//! How often: counts per actor and behaviour, the busiest minute, and bursts.

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

use super::{Actor, Behaviour, Category, Info, Phase};

/// A burst: at least this many of one behaviour by one actor within one second.
pub const BURST: u64 = 5;

/// One actor's count of one behaviour.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tally {
    pub actor: Actor,
    pub category: Category,
    pub info: Option<Info>,
    /// Every record, folded ones included.
    pub count: u64,
    /// Of them, before consent.
    pub before_consent: u64,
    /// The first one: its place in the log (0-based), its time as written and its seconds since
    /// the log's start.
    pub first_seq: usize,
    pub first_time: String,
    pub first_offset: Option<f64>,
    /// The first one before consent, when there is one.
    pub first_before_offset: Option<f64>,
    /// The most within any 60 seconds (when the times can be read).
    pub per_minute_max: u64,
    /// Seconds holding a burst ([`BURST`] or more).
    pub bursts: u64,
}

/// The counts of a log's behaviours, most frequent first.
pub fn tally(behaviours: &[Behaviour]) -> Vec<Tally> {
    type Key = (Actor, Category, Option<Info>);
    let mut groups: BTreeMap<Key, Vec<&Behaviour>> = BTreeMap::new();
    for b in behaviours {
        groups
            .entry((b.actor.clone(), b.category, b.info))
            .or_default()
            .push(b);
    }
    let mut out: Vec<Tally> = groups
        .into_iter()
        .map(|((actor, category, info), list)| {
            let count = list.iter().map(|b| u64::from(b.count)).sum();
            let before_consent = list
                .iter()
                .filter(|b| b.phase == Phase::BeforeConsent)
                .map(|b| u64::from(b.count))
                .sum();
            let first = list.first();
            let (per_minute_max, bursts) = frequency(&list);
            Tally {
                actor,
                category,
                info,
                count,
                before_consent,
                first_seq: first.map_or(0, |b| b.seq),
                first_time: first.map(|b| b.time.clone()).unwrap_or_default(),
                first_offset: first.and_then(|b| b.offset),
                first_before_offset: list
                    .iter()
                    .find(|b| b.phase == Phase::BeforeConsent)
                    .and_then(|b| b.offset),
                per_minute_max,
                bursts,
            }
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.actor.cmp(&b.actor)));
    out
}

/// The most records within any 60 seconds, and the seconds with a burst. Records come in log
/// order; a log whose times go backwards (a clock change) is counted as written.
fn frequency(list: &[&Behaviour]) -> (u64, u64) {
    let mut window: VecDeque<(f64, u64)> = VecDeque::new();
    let mut in_window = 0u64;
    let mut best = 0u64;
    let mut per_second: BTreeMap<i64, u64> = BTreeMap::new();
    for b in list {
        let Some(t) = b.offset else { continue };
        let n = u64::from(b.count);
        window.push_back((t, n));
        in_window += n;
        while let Some(&(start, m)) = window.front() {
            if t - start >= 60.0 {
                window.pop_front();
                in_window -= m;
            } else {
                break;
            }
        }
        best = best.max(in_window);
        *per_second.entry(t.floor() as i64).or_default() += n;
    }
    let bursts = per_second.values().filter(|n| **n >= BURST).count() as u64;
    (best, bursts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(offset: f64, count: u32, phase: Phase) -> Behaviour {
        Behaviour {
            seq: 0,
            time: String::new(),
            offset: Some(offset),
            phase,
            category: Category::DeviceId,
            info: Some(Info::AndroidId),
            action: String::new(),
            detail: String::new(),
            arg: String::new(),
            stack: String::new(),
            actor: Actor::App,
            by_tool: String::new(),
            count,
        }
    }

    #[test]
    fn counts_the_busiest_minute_and_bursts() {
        let mut list = vec![at(0.0, 1, Phase::BeforeConsent), at(1.2, 6, Phase::BeforeConsent)];
        list.extend((0..30).map(|i| at(10.0 + f64::from(i), 1, Phase::AfterConsent)));
        list.push(at(200.0, 1, Phase::AfterConsent));
        let t = tally(&list);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].count, 38);
        assert_eq!(t[0].before_consent, 7);
        assert_eq!(t[0].first_before_offset, Some(0.0));
        assert_eq!(t[0].per_minute_max, 37);
        assert_eq!(t[0].bursts, 1);
    }
}
