//! `libdhcp_lease_cmds.so`: the lease commands (`hooks-lease-cmds.rst`), for kea-dhcp4.
//!
//! Each command is a function of the server's [`LeaseCmdsBackend4`] and the command's
//! `arguments`, returning the whole answer. [`COMMANDS`] lists the names Kea 2.2 registers
//! for this library (the `lease6-*` ones included: Kea registers both families in both
//! servers), and [`handle`] dispatches by name, so a daemon registers them with
//!
//! ```ignore
//! for &name in kea_hooks::lease_cmds::COMMANDS {
//!     let backend = backend.clone(); // Arc<impl LeaseCmdsBackend4 + Send + Sync>
//!     registry.register_sync(name, move |args| {
//!         kea_hooks::lease_cmds::handle(&*backend, name, args.as_ref())
//!     })?;
//! }
//! ```
//!
//! `lease4-write`/`lease6-write` are left out: they are new in Kea 2.3.1 and Kea 2.2
//! answers them as unknown commands.

mod backend;
mod params;
mod parser;
mod stats;
#[cfg(test)]
pub(crate) mod test_backend;
pub mod v4;
pub mod v6;

pub use backend::{BackendError, LeaseCmdsBackend4, NcrKind, Subnet4Info};

use crate::answer::error;
use serde_json::Value;

/// The commands the library registers, in Kea's (alphabetical) order.
pub const COMMANDS: &[&str] = &[
    "lease4-add",
    "lease4-del",
    "lease4-get",
    "lease4-get-all",
    "lease4-get-by-client-id",
    "lease4-get-by-hostname",
    "lease4-get-by-hw-address",
    "lease4-get-page",
    "lease4-resend-ddns",
    "lease4-update",
    "lease4-wipe",
    "lease6-add",
    "lease6-bulk-apply",
    "lease6-del",
    "lease6-get",
    "lease6-get-all",
    "lease6-get-by-duid",
    "lease6-get-by-hostname",
    "lease6-get-page",
    "lease6-resend-ddns",
    "lease6-update",
    "lease6-wipe",
];

/// The command names to register (same as [`COMMANDS`]).
pub fn register_names() -> &'static [&'static str] {
    COMMANDS
}

/// Runs lease command `command` with `args`; a name not in [`COMMANDS`] gets Kea's
/// "not supported" answer (result 2).
pub fn handle<B: LeaseCmdsBackend4>(backend: &B, command: &str, args: Option<&Value>) -> Value {
    match command {
        "lease4-add" => v4::lease4_add(backend, args),
        "lease4-del" => v4::lease4_del(backend, args),
        "lease4-get" => v4::lease4_get(backend, args),
        "lease4-get-all" => v4::lease4_get_all(backend, args),
        "lease4-get-by-client-id" => v4::lease4_get_by_client_id(backend, args),
        "lease4-get-by-hostname" => v4::lease4_get_by_hostname(backend, args),
        "lease4-get-by-hw-address" => v4::lease4_get_by_hw_address(backend, args),
        "lease4-get-page" => v4::lease4_get_page(backend, args),
        "lease4-resend-ddns" => v4::lease4_resend_ddns(backend, args),
        "lease4-update" => v4::lease4_update(backend, args),
        "lease4-wipe" => v4::lease4_wipe(backend, args),
        "lease6-add" => v6::lease6_add(args),
        "lease6-bulk-apply" => v6::lease6_bulk_apply(args),
        "lease6-del" => v6::lease6_del(args),
        "lease6-get" => v6::lease6_get(args),
        "lease6-get-all" => v6::lease6_get_all(args),
        "lease6-get-by-duid" => v6::lease6_get_by_duid(args),
        "lease6-get-by-hostname" => v6::lease6_get_by_hostname(args),
        "lease6-get-page" => v6::lease6_get_page(args),
        "lease6-resend-ddns" => v6::lease6_resend_ddns(backend.ddns_enabled(), args),
        "lease6-update" => v6::lease6_update(args),
        "lease6-wipe" => v6::lease6_wipe(args),
        other => {
            let mut answer = error(format!("'{other}' command not supported."));
            answer["result"] = Value::from(2);
            answer
        }
    }
}
