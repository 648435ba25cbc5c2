//! The set of client classes a packet belongs to.
//!
//! ARM `classify.rst`: classes are assigned by built-in rules (`ALL`, `KNOWN`/`UNKNOWN`,
//! `VENDOR_CLASS_*`), by class `test` expressions and by host reservations. Guards on subnets,
//! shared networks and pools (`client-class`) admit a client only when it is in that class.

/// When a class's `test` is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EvalStage {
    /// On reception, before subnet selection.
    #[default]
    Early,
    /// After host reservation lookup: the test depends on `KNOWN`/`UNKNOWN`.
    AfterHostLookup,
    /// Only when a shared network, subnet or pool requires it (`only-if-required`).
    OnlyIfRequired,
}

/// Classes in the order they were assigned (the order decides option precedence between them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientClasses(Vec<String>);

impl ClientClasses {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `name` unless already present.
    pub fn insert(&mut self, name: impl Into<String>) {
        let name = name.into();
        if !self.0.contains(&name) {
            self.0.push(name);
        }
    }

    /// Whether the packet is in class `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|c| c == name)
    }

    /// Whether a guard admits this packet: no guard, or the guard class is present.
    pub fn admits(&self, guard: Option<&str>) -> bool {
        guard.is_none_or(|g| self.contains(g))
    }

    /// Classes in assignment order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// Number of classes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl kea_eval::ClassSet for ClientClasses {
    fn contains_class(&self, name: &str) -> bool {
        self.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_and_order() {
        let mut c = ClientClasses::new();
        c.insert("ALL");
        c.insert("KNOWN");
        c.insert("ALL");
        assert_eq!(c.iter().collect::<Vec<_>>(), vec!["ALL", "KNOWN"]);
        assert!(c.admits(None));
        assert!(c.admits(Some("KNOWN")));
        assert!(!c.admits(Some("UNKNOWN")));
    }
}
