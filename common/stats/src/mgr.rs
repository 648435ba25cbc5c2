//! [`StatsMgr`]: the process-wide, thread-safe store of statistics (ARM `stats.rst`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::Duration;

use serde_json::{Map, Value};

use crate::observation::{Observation, SampleLimit, StatError, StatType, StatValue};

type Slot = Arc<Mutex<Observation>>;

/// All statistics of one daemon, by name.
///
/// Cheap to share (`Arc<StatsMgr>`) and to increment from packet workers: the map is
/// read-locked for lookups and write-locked only to create or remove a statistic, and each
/// statistic has its own mutex held only while a sample is pushed. A poisoned lock is
/// recovered (statistics are counters; a panicking holder cannot leave them unsound).
#[derive(Debug, Default)]
pub struct StatsMgr {
    stats: RwLock<BTreeMap<String, Slot>>,
    /// The limit given to statistics created from now on.
    default_limit: Mutex<SampleLimit>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl StatsMgr {
    /// An empty store with Kea's default limit (20 samples).
    pub fn new() -> Self {
        Self::default()
    }

    fn slot(&self, name: &str) -> Option<Slot> {
        self.stats
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(name)
            .cloned()
    }

    /// Applies `f` to the statistic `name`, creating it from `value` when it does not exist.
    fn update(
        &self,
        name: &str,
        value: StatValue,
        f: impl FnOnce(&mut Observation, StatValue) -> Result<(), StatType>,
    ) -> Result<(), StatError> {
        let slot = match self.slot(name) {
            Some(slot) => slot,
            None => {
                let limit = *lock(&self.default_limit);
                let mut map = self.stats.write().unwrap_or_else(PoisonError::into_inner);
                match map.get(name) {
                    Some(slot) => slot.clone(),
                    None => {
                        map.insert(
                            name.to_owned(),
                            Arc::new(Mutex::new(Observation::new(value, limit))),
                        );
                        return Ok(());
                    }
                }
            }
        };
        let mut obs = lock(&slot);
        f(&mut obs, value).map_err(|actual| StatError::TypeMismatch {
            name: name.to_owned(),
            expected: obs.stat_type().as_str(),
            actual: actual.as_str(),
        })
    }

    /// Adds `value` to the statistic (creating it with `value` if absent): the packet path's
    /// `StatsMgr::instance().addValue("pkt4-received", 1)`.
    pub fn add_value(&self, name: &str, value: impl Into<StatValue>) -> Result<(), StatError> {
        self.update(name, value.into(), Observation::add_value)
    }

    /// Records `value` as the statistic's new sample (creating it if absent).
    pub fn set_value(&self, name: &str, value: impl Into<StatValue>) -> Result<(), StatError> {
        self.update(name, value.into(), Observation::set_value)
    }

    /// The current value of a statistic.
    pub fn get_value(&self, name: &str) -> Option<StatValue> {
        self.slot(name).map(|s| lock(&s).current().clone())
    }

    /// The current value of an integer statistic (convenience for tests and hooks).
    pub fn get_integer(&self, name: &str) -> Option<i64> {
        match self.get_value(name)? {
            StatValue::Integer(v) => Some(v),
            _ => None,
        }
    }

    /// `{name: [[value, timestamp], ...]}`, or `{}` when the statistic does not exist,
    /// exactly the `arguments` of Kea's `statistic-get`.
    pub fn get(&self, name: &str) -> Value {
        let mut m = Map::new();
        if let Some(slot) = self.slot(name) {
            m.insert(name.to_owned(), lock(&slot).to_json());
        }
        Value::Object(m)
    }

    /// All statistics, sorted by name: the `arguments` of `statistic-get-all`.
    pub fn get_all(&self) -> Value {
        let slots: Vec<(String, Slot)> = self
            .stats
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let mut m = Map::new();
        for (name, slot) in slots {
            m.insert(name, lock(&slot).to_json());
        }
        Value::Object(m)
    }

    /// Names of all statistics, sorted.
    pub fn names(&self) -> Vec<String> {
        self.stats
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .keys()
            .cloned()
            .collect()
    }

    /// Number of statistics.
    pub fn count(&self) -> usize {
        self.stats
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Resets one statistic to its neutral value; false when it does not exist.
    pub fn reset(&self, name: &str) -> bool {
        self.slot(name).map(|s| lock(&s).reset()).is_some()
    }

    /// Removes one statistic; false when it does not exist.
    pub fn remove(&self, name: &str) -> bool {
        self.stats
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(name)
            .is_some()
    }

    /// Resets every statistic.
    pub fn reset_all(&self) {
        for slot in self.all_slots() {
            lock(&slot).reset();
        }
    }

    /// Removes every statistic.
    pub fn remove_all(&self) {
        self.stats
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// Bounds one statistic's history by age (disabling its count bound); false when absent.
    pub fn set_max_sample_age(&self, name: &str, age: Duration) -> bool {
        self.set_limit(name, SampleLimit::Age(age))
    }

    /// Bounds one statistic's history by sample count (disabling its age bound); false when
    /// absent. A count of 0 is accepted and ignored, as Kea does.
    pub fn set_max_sample_count(&self, name: &str, count: u32) -> bool {
        match self.slot(name) {
            Some(slot) => {
                if count > 0 {
                    lock(&slot).set_limit(SampleLimit::Count(count));
                }
                true
            }
            None => false,
        }
    }

    /// Bounds every statistic, and those created later, by age.
    pub fn set_max_sample_age_all(&self, age: Duration) {
        self.set_limit_all(SampleLimit::Age(age));
    }

    /// Bounds every statistic, and those created later, by count (0 is ignored).
    pub fn set_max_sample_count_all(&self, count: u32) {
        if count > 0 {
            self.set_limit_all(SampleLimit::Count(count));
        }
    }

    /// The limit given to new statistics.
    pub fn default_limit(&self) -> SampleLimit {
        *lock(&self.default_limit)
    }

    fn set_limit(&self, name: &str, limit: SampleLimit) -> bool {
        self.slot(name).map(|s| lock(&s).set_limit(limit)).is_some()
    }

    fn set_limit_all(&self, limit: SampleLimit) {
        *lock(&self.default_limit) = limit;
        for slot in self.all_slots() {
            lock(&slot).set_limit(limit);
        }
    }

    fn all_slots(&self) -> Vec<Slot> {
        self.stats
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;

    #[test]
    fn add_creates_then_accumulates() {
        let m = StatsMgr::new();
        m.add_value("pkt4-received", 1i64).unwrap();
        m.add_value("pkt4-received", 1i64).unwrap();
        assert_eq!(m.get_integer("pkt4-received"), Some(2));
        let j = m.get("pkt4-received");
        assert_eq!(j["pkt4-received"][0][0], 2);
        assert_eq!(j["pkt4-received"].as_array().unwrap().len(), 2);
        assert_eq!(m.get("nope"), Value::Object(Map::new()));
    }

    #[test]
    fn type_mismatch_reports_names() {
        let m = StatsMgr::new();
        m.set_value("x", 1.5f64).unwrap();
        let e = m.add_value("x", 1i64).unwrap_err();
        assert_eq!(
            e,
            StatError::TypeMismatch {
                name: "x".into(),
                expected: "float",
                actual: "integer"
            }
        );
    }

    #[test]
    fn limits_apply_to_new_and_existing() {
        let m = StatsMgr::new();
        for _ in 0..30 {
            m.add_value("a", 1i64).unwrap();
        }
        assert_eq!(m.get("a")["a"].as_array().unwrap().len(), 20);
        m.set_max_sample_count_all(5);
        assert_eq!(m.get("a")["a"].as_array().unwrap().len(), 5);
        for _ in 0..10 {
            m.add_value("b", 1i64).unwrap();
        }
        assert_eq!(m.get("b")["b"].as_array().unwrap().len(), 5);
        assert!(m.set_max_sample_count("b", 2));
        assert_eq!(m.get("b")["b"].as_array().unwrap().len(), 2);
        assert!(!m.set_max_sample_count("c", 2));
        assert!(m.set_max_sample_age("a", Duration::from_secs(3600)));
        m.add_value("a", 1i64).unwrap();
        assert_eq!(m.get("a")["a"].as_array().unwrap().len(), 6);
    }

    #[test]
    fn reset_remove_and_all() {
        let m = StatsMgr::new();
        m.add_value("a", 5i64).unwrap();
        m.add_value("b", 5i64).unwrap();
        assert!(m.reset("a"));
        assert_eq!(m.get_integer("a"), Some(0));
        assert!(!m.reset("zz"));
        assert!(m.remove("a"));
        assert!(!m.remove("a"));
        m.reset_all();
        assert_eq!(m.get_integer("b"), Some(0));
        m.remove_all();
        assert_eq!(m.count(), 0);
    }

    #[test]
    fn concurrent_increments_are_not_lost() {
        let m = Arc::new(StatsMgr::new());
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let m = m.clone();
                std::thread::spawn(move || {
                    for _ in 0..1000 {
                        m.add_value("pkt4-received", 1i64).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(m.get_integer("pkt4-received"), Some(4000));
    }
}
