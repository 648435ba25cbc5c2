//! Configured options as the server holds them, and their assembly by precedence.
//!
//! ARM `dhcp4-srv.rst` "Standard DHCPv4 Options": options are configured at the global,
//! shared-network, subnet, pool, client-class and host levels; the most specific level that
//! defines an option wins. `always-send` puts an option in a reply even when the client did not
//! ask for it; `never-send` keeps it out even when asked.

/// One configured option, already encoded to its wire payload (sub-options included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionDesc {
    /// Option code in the top-level space of the protocol.
    pub code: u16,
    /// Encoded payload (without code and length).
    pub data: Vec<u8>,
    /// `always-send`.
    pub always_send: bool,
    /// `never-send`.
    pub never_send: bool,
}

/// The options configured at one level, in configuration order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OptionSet(pub Vec<OptionDesc>);

impl OptionSet {
    /// The first definition of `code` at this level.
    pub fn get(&self, code: u16) -> Option<&OptionDesc> {
        self.0.iter().find(|o| o.code == code)
    }

    /// Whether nothing is configured at this level.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Levels to consult for one reply, most specific first (host, classes, pool, subnet, shared
/// network, global).
#[derive(Debug, Default)]
pub struct Precedence<'a> {
    levels: Vec<&'a OptionSet>,
}

impl<'a> Precedence<'a> {
    /// Adds the next, less specific, level.
    pub fn push(&mut self, set: &'a OptionSet) {
        if !set.is_empty() {
            self.levels.push(set);
        }
    }

    /// The winning definition of `code`, if any level has one.
    pub fn lookup(&self, code: u16) -> Option<&'a OptionDesc> {
        self.levels.iter().find_map(|l| l.get(code))
    }

    /// Codes to put in a reply: those requested (in request order) followed by the
    /// `always-send` ones, minus `never-send`, each once.
    pub fn codes_to_send(&self, requested: &[u16]) -> Vec<u16> {
        let mut out: Vec<u16> = Vec::new();
        let add = |code: u16, out: &mut Vec<u16>| {
            if out.contains(&code) {
                return;
            }
            match self.lookup(code) {
                Some(d) if !d.never_send => out.push(code),
                _ => {}
            }
        };
        for &c in requested {
            add(c, &mut out);
        }
        for level in &self.levels {
            for d in &level.0 {
                if d.always_send {
                    add(d.code, &mut out);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opt(code: u16, byte: u8, always: bool, never: bool) -> OptionDesc {
        OptionDesc {
            code,
            data: vec![byte],
            always_send: always,
            never_send: never,
        }
    }

    #[test]
    fn most_specific_level_wins_and_flags_apply() {
        let host = OptionSet(vec![opt(6, 1, false, false)]);
        let subnet = OptionSet(vec![opt(6, 2, false, false), opt(15, 3, true, false)]);
        let global = OptionSet(vec![opt(3, 4, false, false), opt(42, 5, false, true)]);
        let mut p = Precedence::default();
        p.push(&host);
        p.push(&subnet);
        p.push(&global);
        assert_eq!(p.lookup(6).unwrap().data, vec![1]);
        assert_eq!(p.codes_to_send(&[3, 6, 42, 99]), vec![3, 6, 15]);
        assert_eq!(p.codes_to_send(&[]), vec![15]);
    }
}
