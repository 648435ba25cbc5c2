//! `hooks-libraries[]`: hook libraries a daemon loads, with their parameters.
//!
//! Implements `shared/spec/kea-arm/hooks.rst`, "Configuring Hook Libraries".

use serde::{Deserialize, Serialize};

use crate::UserContext;

/// One `hooks-libraries` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct HooksLibrary {
    /// The library path (Kea's file names map to built-in libraries).
    pub library: String,
    /// Free-form parameters handed to the library.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<UserContext>,
}
