//! The control channel (ARM `ctrl-channel.rst`; INVENTORY §6, §7.1): answers and result
//! codes ([`answer`]), the one command registry of a daemon ([`registry`]), the parsing of a
//! received command ([`request`]) and the UNIX socket server ([`server`]).

pub mod answer;
pub mod registry;
pub mod request;
pub mod server;

pub use answer::{
    CONTROL_RESULT_COMMAND_UNSUPPORTED, CONTROL_RESULT_CONFLICT, CONTROL_RESULT_EMPTY,
    CONTROL_RESULT_ERROR, CONTROL_RESULT_SUCCESS, answer, answer_with_args,
};
pub use registry::{CommandRegistry, HandlerFuture, RegistryError};
pub use server::{ControlSocket, ControlSocketConfig, ControlSocketManager, CtrlError};
