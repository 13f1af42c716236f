//! How the inspector's judgement and the accepted automatic suggestions make a test point's status.
//!
//! One rule, used both when the store writes and when the audit trail is replayed, so that what
//! the database holds and what the trail proves cannot drift apart:
//!
//! - A test point the inspector has judged belongs to the inspector. Accepting or rejecting a
//!   suggestion there is recorded, but changes neither the status nor the note.
//! - Otherwise its status is the worst of the suggestions accepted on it (non-compliant, then
//!   partial, compliant, not applicable), whatever the order they were accepted in; with none
//!   accepted, it is not checked.
//!
//! "Judged" means the inspector gave a status or wrote a note. Setting a test point back to "not
//! checked" with an empty note hands it back: nothing a person wrote is there to protect.

use crate::status::Status;

/// Who a test point's assessment came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Inspector,
    Automatic,
}

impl Source {
    pub fn keyword(self) -> &'static str {
        match self {
            Source::Inspector => "inspector",
            Source::Automatic => "automatic",
        }
    }

    pub fn from_keyword(word: &str) -> Option<Self> {
        match word {
            "inspector" => Some(Source::Inspector),
            "automatic" => Some(Source::Automatic),
            _ => None,
        }
    }
}

/// How severe a suggested status is: the worst accepted suggestion decides.
pub fn severity(status: Status) -> u8 {
    match status {
        Status::NonCompliant => 4,
        Status::Partial => 3,
        Status::Compliant => 2,
        Status::NotApplicable => 1,
        Status::NotChecked => 0,
    }
}

/// The worst of the accepted suggestions' statuses; `None` when none is accepted.
pub fn worst(accepted: impl IntoIterator<Item = Status>) -> Option<Status> {
    accepted
        .into_iter()
        .filter(|s| *s != Status::NotChecked)
        .max_by_key(|s| severity(*s))
}

/// Whether the inspector has judged a test point whose assessment is `(status, note, source)`.
pub fn judged_by_inspector(status: Status, note: &str, source: &str) -> bool {
    source == Source::Inspector.keyword() && (status != Status::NotChecked || !note.is_empty())
}

/// What a test point's assessment becomes after a review or a judgement: the one decision the
/// store writes and replay applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settle {
    /// The inspector has judged it: nothing changes.
    Inspector,
    /// No suggestion is accepted: no automatic assessment remains.
    Clear,
    /// The automatic assessment already has this status: it is left as it is (who and when too).
    Keep(Status),
    /// The automatic assessment becomes this status.
    Write(Status),
}

impl Settle {
    /// What decides the test point now, as the audit trail records it: `inspector`, or the status
    /// the accepted suggestions give (`not-checked` when none is accepted).
    pub fn result(self) -> &'static str {
        match self {
            Settle::Inspector => Source::Inspector.keyword(),
            Settle::Clear => Status::NotChecked.keyword(),
            Settle::Keep(s) | Settle::Write(s) => s.keyword(),
        }
    }
}

/// Decides a test point whose assessment is `current` (status, note, source), given the statuses
/// of the suggestions now accepted on it.
pub fn settle(current: Option<(Status, &str, &str)>, accepted: impl IntoIterator<Item = Status>) -> Settle {
    if let Some((status, note, source)) = current
        && judged_by_inspector(status, note, source)
    {
        return Settle::Inspector;
    }
    match worst(accepted) {
        None => Settle::Clear,
        Some(w) if current.is_some_and(|(s, _, src)| s == w && src == Source::Automatic.keyword()) => {
            Settle::Keep(w)
        }
        Some(w) => Settle::Write(w),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_accepted_suggestion_decides_whatever_the_order() {
        use Status::*;
        assert_eq!(worst([Partial, NonCompliant, Compliant]), Some(NonCompliant));
        assert_eq!(worst([Compliant, Partial]), Some(Partial));
        assert_eq!(worst([]), None);
        assert_eq!(worst([NotChecked]), None);
    }

    #[test]
    fn the_inspector_keeps_a_judged_test_point() {
        use Status::*;
        assert_eq!(
            settle(Some((Compliant, "", "inspector")), [NonCompliant]),
            Settle::Inspector
        );
        assert_eq!(
            settle(Some((NotChecked, "见截图", "inspector")), [Partial]),
            Settle::Inspector
        );
        // Handed back: not checked, nothing written.
        assert_eq!(
            settle(Some((NotChecked, "", "inspector")), [Partial]),
            Settle::Write(Partial)
        );
        assert_eq!(
            settle(Some((Partial, "", "automatic")), [NonCompliant, Partial]),
            Settle::Write(NonCompliant)
        );
        assert_eq!(
            settle(Some((Partial, "", "automatic")), [Partial]),
            Settle::Keep(Partial)
        );
        assert_eq!(settle(Some((Partial, "", "automatic")), []), Settle::Clear);
        assert_eq!(settle(None, [Compliant]), Settle::Write(Compliant));
    }
}
