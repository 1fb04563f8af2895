//! The page's state and the actions that change it: plain data and a reducer, no DOM.

use std::rc::Rc;
use yew::Reducible;

/// Whether the WebAssembly engine on this page works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineStatus {
    /// The known-answer self-test has not run yet.
    Starting,
    /// The self-test passed on the page.
    Ready,
    /// The self-test failed: nothing may be signed. The text says what to do.
    Broken(String),
}

/// Whether the background worker (used for slow work such as key generation) answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkerStatus {
    /// Started, no answer yet.
    Starting,
    /// It answered with the same result as the page computed.
    Ready,
    /// It could not be started or answered wrongly; heavy work stays on the page.
    Unavailable(String),
}

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The self-test on the page.
    pub engine: EngineStatus,
    /// The background worker's round trip.
    pub worker: WorkerStatus,
}

impl Default for State {
    fn default() -> Self {
        Self {
            engine: EngineStatus::Starting,
            worker: WorkerStatus::Starting,
        }
    }
}

/// What can happen to the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The page's self-test finished.
    SelfTestFinished(Result<(), String>),
    /// The worker answered (or failed to).
    WorkerAnswered(Result<(), String>),
}

impl State {
    /// The state after `action`.
    #[must_use]
    pub fn apply(&self, action: Action) -> Self {
        let mut next = self.clone();
        match action {
            Action::SelfTestFinished(Ok(())) => next.engine = EngineStatus::Ready,
            Action::SelfTestFinished(Err(why)) => next.engine = EngineStatus::Broken(why),
            Action::WorkerAnswered(Ok(())) => next.worker = WorkerStatus::Ready,
            Action::WorkerAnswered(Err(why)) => next.worker = WorkerStatus::Unavailable(why),
        }
        next
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = self.apply(action);
        if next == *self { self } else { Rc::new(next) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_test_result_sets_the_engine_status() {
        let s = State::default().apply(Action::SelfTestFinished(Ok(())));
        assert_eq!(s.engine, EngineStatus::Ready);
        let s = s.apply(Action::SelfTestFinished(Err("bad".into())));
        assert_eq!(s.engine, EngineStatus::Broken("bad".into()));
        assert_eq!(s.worker, WorkerStatus::Starting);
    }

    #[test]
    fn worker_answer_sets_the_worker_status() {
        let s = State::default().apply(Action::WorkerAnswered(Err("no".into())));
        assert_eq!(s.worker, WorkerStatus::Unavailable("no".into()));
        assert_eq!(s.engine, EngineStatus::Starting);
    }

    #[test]
    fn an_action_that_changes_nothing_keeps_the_same_state() {
        let s = Rc::new(State::default().apply(Action::SelfTestFinished(Ok(()))));
        let same = Rc::clone(&s).reduce(Action::SelfTestFinished(Ok(())));
        assert!(Rc::ptr_eq(&s, &same));
    }
}
