//! The loaded hook libraries a server holds: which built-ins are active, the commands
//! they offer, and dispatch of those commands (`hooks.rst`, "Hooks Libraries").

use crate::config::{HooksConfig, HooksConfigError, LibraryConfig, LibraryKind};
use crate::lease_cmds::{self, LeaseCmdsBackend4};
use crate::stat_cmds;
use serde_json::Value;

/// One active library.
#[derive(Debug, Clone, PartialEq)]
pub struct LibraryHandle {
    config: LibraryConfig,
}

impl LibraryHandle {
    /// Which built-in library this is.
    pub fn kind(&self) -> LibraryKind {
        self.config.kind
    }

    /// The configured path and parameters.
    pub fn config(&self) -> &LibraryConfig {
        &self.config
    }

    /// The control commands the library registers.
    pub fn commands(&self) -> &'static [&'static str] {
        match self.config.kind {
            LibraryKind::LeaseCmds => lease_cmds::COMMANDS,
            LibraryKind::StatCmds => stat_cmds::COMMANDS,
        }
    }

    /// Runs one of this library's commands.
    pub fn handle<B: LeaseCmdsBackend4>(
        &self,
        backend: &B,
        command: &str,
        args: Option<&Value>,
    ) -> Value {
        match self.config.kind {
            LibraryKind::LeaseCmds => lease_cmds::handle(backend, command, args),
            LibraryKind::StatCmds => stat_cmds::handle(backend, command, args),
        }
    }
}

/// The libraries of the current configuration, in configuration order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Libraries {
    handles: Vec<LibraryHandle>,
}

impl Libraries {
    /// Activates the libraries of a parsed configuration.
    pub fn new(config: HooksConfig) -> Self {
        Self {
            handles: config
                .libraries
                .into_iter()
                .map(|config| LibraryHandle { config })
                .collect(),
        }
    }

    /// Parses a `hooks-libraries` element and activates its libraries.
    pub fn from_json(element: Option<&Value>) -> Result<Self, HooksConfigError> {
        HooksConfig::parse(element).map(Self::new)
    }

    /// The active libraries.
    pub fn handles(&self) -> &[LibraryHandle] {
        &self.handles
    }

    /// Every command the active libraries register, in library order.
    pub fn commands(&self) -> Vec<&'static str> {
        self.handles
            .iter()
            .flat_map(|h| h.commands())
            .copied()
            .collect()
    }

    /// The library that offers `command`.
    pub fn library_of(&self, command: &str) -> Option<&LibraryHandle> {
        self.handles
            .iter()
            .find(|h| h.commands().contains(&command))
    }

    /// Runs `command` in the library that offers it; `None` if none does.
    pub fn handle<B: LeaseCmdsBackend4>(
        &self,
        backend: &B,
        command: &str,
        args: Option<&Value>,
    ) -> Option<Value> {
        self.library_of(command)
            .map(|h| h.handle(backend, command, args))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use crate::lease_cmds::test_backend::MemBackend;
    use serde_json::json;

    #[test]
    fn commands_follow_configured_libraries() {
        let list = json!([{"library": "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_stat_cmds.so"}]);
        let libs = Libraries::from_json(Some(&list)).unwrap();
        assert_eq!(libs.commands(), vec!["stat-lease4-get", "stat-lease6-get"]);
        let b = MemBackend::new();
        assert!(libs.handle(&b, "lease4-get", None).is_none());
        let v = libs.handle(&b, "stat-lease4-get", None).unwrap();
        assert_eq!(v["result"], 0);
        let both =
            json!([{"library": "libdhcp_lease_cmds.so"}, {"library": "libdhcp_stat_cmds.so"}]);
        let libs = Libraries::from_json(Some(&both)).unwrap();
        assert_eq!(libs.commands().len(), 24);
        assert_eq!(
            libs.library_of("lease6-wipe").unwrap().kind(),
            LibraryKind::LeaseCmds
        );
        assert!(Libraries::from_json(None).unwrap().commands().is_empty());
    }
}
