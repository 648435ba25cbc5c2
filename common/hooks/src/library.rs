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
