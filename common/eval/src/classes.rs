//! Class names as expressions see them: the built-in classes and prefixes that `member()`
//! may name without a definition, and [`ClassSet`], the classes a packet belongs to so far.
//!
//! ARM: `classify.rst`, "Built-in Client Classes" and the `member` notes of "Using
//! Expressions in Classification".

use std::collections::{BTreeSet, HashSet};

/// Every packet belongs to `ALL`.
pub const ALL: &str = "ALL";
/// Set when a host reservation is found.
pub const KNOWN: &str = "KNOWN";
/// Set when no host reservation is found.
pub const UNKNOWN: &str = "UNKNOWN";
/// Packets in this class are dropped (a special class: it must be defined to be named by
/// `member`, as Kea 2.2 requires).
pub const DROP: &str = "DROP";
/// Set by the BOOTP hook library on BOOTP queries.
pub const BOOTP: &str = "BOOTP";

/// Built-in class names that `member()` may name without a definition.
pub const BUILTIN_CLASSES: &[&str] = &[ALL, KNOWN, UNKNOWN, BOOTP, "SKIP_DDNS"];

/// Built-in class name prefixes: `VENDOR_CLASS_` (option 60 / 16), `HA_` (HA load
/// balancing), `AFTER_` (reserved), `EXTERNAL_` (free for hooks), `SPAWN_` (template classes).
pub const BUILTIN_PREFIXES: &[&str] = &["VENDOR_CLASS_", "HA_", "AFTER_", "EXTERNAL_", "SPAWN_"];

/// True for a class that exists without being defined (built-in name or prefix).
pub fn is_builtin_class(name: &str) -> bool {
    BUILTIN_CLASSES.contains(&name) || BUILTIN_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The classes a packet belongs to so far (`member('X')` asks it).
pub trait ClassSet {
    /// True when the packet is in class `name`.
    fn contains_class(&self, name: &str) -> bool;
}

impl ClassSet for HashSet<String> {
    fn contains_class(&self, name: &str) -> bool {
        self.contains(name)
    }
}

impl ClassSet for BTreeSet<String> {
    fn contains_class(&self, name: &str) -> bool {
        self.contains(name)
    }
}

impl ClassSet for [String] {
    fn contains_class(&self, name: &str) -> bool {
        self.iter().any(|c| c == name)
    }
}

impl ClassSet for Vec<String> {
    fn contains_class(&self, name: &str) -> bool {
        self.as_slice().contains_class(name)
    }
}

impl ClassSet for [&str] {
    fn contains_class(&self, name: &str) -> bool {
        self.contains(&name)
    }
}

impl<const N: usize> ClassSet for [&str; N] {
    fn contains_class(&self, name: &str) -> bool {
        self.contains(&name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_as_kea_accepts_them() {
        for name in [
            "ALL",
            "KNOWN",
            "UNKNOWN",
            "BOOTP",
            "VENDOR_CLASS_docsis3.0",
            "HA_server1",
        ] {
            assert!(is_builtin_class(name), "{name}");
        }
        for name in ["EXTERNAL_x", "AFTER_x", "SPAWN_c_x", "SKIP_DDNS"] {
            assert!(is_builtin_class(name), "{name}");
        }
        // Kea 2.2 rejects member('DROP') unless DROP is defined.
        for name in ["DROP", "all", "foo", "VENDOR_CLASS"] {
            assert!(!is_builtin_class(name), "{name}");
        }
    }

    #[test]
    fn class_sets() {
        let v = vec!["ALL".to_owned(), "foo".to_owned()];
        assert!(v.contains_class("foo"));
        assert!(!v.contains_class("bar"));
        assert!(["ALL"].contains_class("ALL"));
        let h: HashSet<String> = v.into_iter().collect();
        assert!(h.contains_class("ALL"));
    }
}
