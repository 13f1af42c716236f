//! How often: counts per actor and behaviour, the busiest minute, and bursts.

use std::collections::VecDeque;

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

/// What the run-time rules look at: the tallies, and each permission asked for with how often and
/// from which record (the tally does not separate permissions).
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub tallies: Vec<Tally>,
    pub permissions: Vec<(String, u64, usize)>,
}

/// One group being counted.
struct Group {
    tally: Tally,
    window: VecDeque<(f64, u64)>,
    in_window: u64,
    /// The current second and its count.
    second: Option<(i64, u64)>,
}

/// Counts behaviours as they come (a long log's behaviours go to the database in batches and are
/// not kept).
#[derive(Default)]
pub struct Counter {
    /// By the actor's identity (behaviours of one log share each actor), category, information.
    groups: super::FastMap<(usize, Category, Option<Info>), Group>,
    permissions: std::collections::BTreeMap<String, (u64, usize)>,
}

impl Counter {
    pub fn push(&mut self, b: &Behaviour) {
        let n = u64::from(b.count);
        if b.category == Category::Permission {
            let e = self.permissions.entry(b.detail.to_string()).or_insert((0, b.seq));
            e.0 += n;
        }
        let g = self
            .groups
            .entry((std::sync::Arc::as_ptr(&b.actor) as usize, b.category, b.info))
            .or_insert_with(|| Group {
                tally: Tally {
                    actor: (*b.actor).clone(),
                    category: b.category,
                    info: b.info,
                    count: 0,
                    before_consent: 0,
                    first_seq: b.seq,
                    first_time: b.time.clone(),
                    first_offset: b.offset,
                    first_before_offset: None,
                    per_minute_max: 0,
                    bursts: 0,
                },
                window: VecDeque::new(),
                in_window: 0,
                second: None,
            });
        let t = &mut g.tally;
        t.count += n;
        if b.phase == Phase::BeforeConsent {
            if t.before_consent == 0 {
                t.first_before_offset = b.offset;
            }
            t.before_consent += n;
        }
        // The most within any 60 seconds, and the seconds with a burst. Records come in log order;
        // a log whose times go backwards (a clock change) is counted as written.
        let Some(at) = b.offset else { return };
        g.window.push_back((at, n));
        g.in_window += n;
        while let Some(&(start, m)) = g.window.front() {
            if at - start >= 60.0 {
                g.window.pop_front();
                g.in_window -= m;
            } else {
                break;
            }
        }
        t.per_minute_max = t.per_minute_max.max(g.in_window);
        let s = at.floor() as i64;
        g.second = match g.second {
            Some((now, count)) if now == s => Some((now, count + n)),
            Some((_, count)) => {
                t.bursts += u64::from(count >= BURST);
                Some((s, n))
            }
            None => Some((s, n)),
        };
    }

    /// The tallies, most frequent first (ties in a fixed order: actor, category, information).
    pub fn finish(self) -> Counts {
        let mut tallies: Vec<Tally> = self
            .groups
            .into_values()
            .map(|mut g| {
                if let Some((_, count)) = g.second {
                    g.tally.bursts += u64::from(count >= BURST);
                }
                g.tally
            })
            .collect();
        tallies.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.actor.cmp(&b.actor))
                .then_with(|| a.category.cmp(&b.category))
                .then_with(|| a.info.cmp(&b.info))
        });
        Counts {
            tallies,
            permissions: self
                .permissions
                .into_iter()
                .map(|(what, (n, seq))| (what, n, seq))
                .collect(),
        }
    }
}

/// The counts of a log's behaviours.
pub fn counts(behaviours: &[Behaviour]) -> Counts {
    let mut c = Counter::default();
    for b in behaviours {
        c.push(b);
    }
    c.finish()
}

/// The tallies of a log's behaviours, most frequent first.
pub fn tally(behaviours: &[Behaviour]) -> Vec<Tally> {
    counts(behaviours).tallies
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        // One actor, shared as the understanding shares it.
        static APP: std::sync::Arc<Actor> = std::sync::Arc::new(Actor::App);
    }

    fn at(offset: f64, count: u32, phase: Phase) -> Behaviour {
        Behaviour {
            seq: 0,
            time: String::new(),
            offset: Some(offset),
            phase,
            category: Category::DeviceId,
            info: Some(Info::AndroidId),
            action: "".into(),
            detail: "".into(),
            arg: "".into(),
            stack: "".into(),
            actor: APP.with(|a| a.clone()),
            by_tool: "".into(),
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
