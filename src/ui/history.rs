//! Undo and redo for what an inspector changes by hand in the window: judgements (status and
//! note) and an evidence item's caption and annotations. Undoing never deletes history: it is a
//! new change, saved and audited like any other, that puts back what was there before.

use crate::status::Status;

/// One change, with what was there before and after.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Judgement {
        case: String,
        testpoint: String,
        before: (Status, String),
        after: (Status, String),
    },
    Evidence {
        case: String,
        link: i64,
        before: (String, serde_json::Value),
        after: (String, serde_json::Value),
    },
}

impl Change {
    /// The change that undoes this one.
    pub fn inverse(&self) -> Change {
        match self.clone() {
            Change::Judgement {
                case,
                testpoint,
                before,
                after,
            } => Change::Judgement {
                case,
                testpoint,
                before: after,
                after: before,
            },
            Change::Evidence {
                case,
                link,
                before,
                after,
            } => Change::Evidence {
                case,
                link,
                before: after,
                after: before,
            },
        }
    }

    pub fn case(&self) -> &str {
        match self {
            Change::Judgement { case, .. } | Change::Evidence { case, .. } => case,
        }
    }
}

/// The undo and redo stacks (at most [`DEPTH`] changes each).
#[derive(Debug, Default)]
pub struct History {
    undo: Vec<Change>,
    redo: Vec<Change>,
}

/// How many changes can be undone.
pub const DEPTH: usize = 200;

impl History {
    /// Records a change made by hand: it can be undone, and nothing undone can be redone now.
    pub fn record(&mut self, change: Change) {
        self.undo.push(change);
        if self.undo.len() > DEPTH {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// The change that undoes the last one of `case`, moved to the redo stack.
    pub fn undo(&mut self, case: &str) -> Option<Change> {
        let at = self.undo.iter().rposition(|c| c.case() == case)?;
        let change = self.undo.remove(at);
        let inverse = change.inverse();
        self.redo.push(change);
        Some(inverse)
    }

    /// The last undone change of `case`, to apply again.
    pub fn redo(&mut self, case: &str) -> Option<Change> {
        let at = self.redo.iter().rposition(|c| c.case() == case)?;
        let change = self.redo.remove(at);
        self.undo.push(change.clone());
        Some(change)
    }

    pub fn can_undo(&self, case: &str) -> bool {
        self.undo.iter().any(|c| c.case() == case)
    }

    pub fn can_redo(&self, case: &str) -> bool {
        self.redo.iter().any(|c| c.case() == case)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(tp: &str, from: Status, to: Status) -> Change {
        Change::Judgement {
            case: "c".into(),
            testpoint: tp.into(),
            before: (from, String::new()),
            after: (to, "note".into()),
        }
    }

    #[test]
    fn undo_gives_the_inverse_and_redo_the_change_and_a_new_change_clears_redo() {
        let mut h = History::default();
        h.record(judged("1.1", Status::NotChecked, Status::Compliant));
        h.record(judged("1.2", Status::NotChecked, Status::NonCompliant));
        let undo = h.undo("c").unwrap();
        assert_eq!(
            undo,
            judged("1.2", Status::NotChecked, Status::NonCompliant).inverse()
        );
        assert!(h.can_redo("c"));
        assert_eq!(
            h.redo("c").unwrap(),
            judged("1.2", Status::NotChecked, Status::NonCompliant)
        );
        h.undo("c");
        h.record(judged("1.3", Status::NotChecked, Status::Partial));
        assert!(!h.can_redo("c"), "a new change ends what could be redone");
        assert!(h.undo("other").is_none(), "another case's history is its own");
    }
}
