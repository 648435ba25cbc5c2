//! The control agent's log message IDs and logger names (Kea's `ctrl_agent_messages.mes`,
//! `http_messages.mes`, `process_messages.mes`; ARM `logging.rst`, "Logging Message
//! Format").

/// Logger for the agent's own events: `kea-ctrl-agent.ctrl-agent`.
pub const LOG_CTRL_AGENT: &str = "kea-ctrl-agent.ctrl-agent";
/// Logger for the daemon lifecycle: `kea-ctrl-agent.dctl`.
pub const LOG_DCTL: &str = "kea-ctrl-agent.dctl";
/// Logger for HTTP traffic: `kea-ctrl-agent.http`.
pub const LOG_HTTP: &str = "kea-ctrl-agent.http";
/// Logger for authentication: `kea-ctrl-agent.auth`.
pub const LOG_AUTH: &str = "kea-ctrl-agent.auth";

/// The agent is starting.
pub const DCTL_STARTING: &str = "DCTL_STARTING";
/// A configuration was applied.
pub const DCTL_CONFIG_COMPLETE: &str = "DCTL_CONFIG_COMPLETE";
/// The agent stopped.
pub const DCTL_SHUTDOWN: &str = "DCTL_SHUTDOWN";
/// Another agent uses the same PID file.
pub const DCTL_ALREADY_RUNNING: &str = "DCTL_ALREADY_RUNNING";
/// The configuration could not be loaded.
pub const DCTL_CONFIG_FILE_LOAD_FAIL: &str = "DCTL_CONFIG_FILE_LOAD_FAIL";
/// SIGHUP: the configuration file is read again.
pub const DCTL_CFG_FILE_RELOAD_SIGNAL_RECVD: &str = "DCTL_CFG_FILE_RELOAD_SIGNAL_RECVD";
/// A SIGHUP reload failed.
pub const DCTL_CFG_FILE_RELOAD_ERROR: &str = "DCTL_CFG_FILE_RELOAD_ERROR";
/// The REST service listens.
pub const CTRL_AGENT_HTTP_SERVICE_STARTED: &str = "CTRL_AGENT_HTTP_SERVICE_STARTED";
/// The REST service listens with TLS.
pub const CTRL_AGENT_HTTPS_SERVICE_STARTED: &str = "CTRL_AGENT_HTTPS_SERVICE_STARTED";
/// The agent is serving.
pub const CTRL_AGENT_STARTED: &str = "CTRL_AGENT_STARTED";
/// A command arrived over HTTP.
pub const CTRL_AGENT_COMMAND_RECEIVED: &str = "CTRL_AGENT_COMMAND_RECEIVED";
/// A command is about to be forwarded.
pub const CTRL_AGENT_COMMAND_FORWARD_BEGIN: &str = "CTRL_AGENT_COMMAND_FORWARD_BEGIN";
/// A command was forwarded to a daemon.
pub const CTRL_AGENT_COMMAND_FORWARDED: &str = "CTRL_AGENT_COMMAND_FORWARDED";
/// A command could not be forwarded.
pub const CTRL_AGENT_COMMAND_FORWARD_FAILED: &str = "CTRL_AGENT_COMMAND_FORWARD_FAILED";
/// A request without the `Authorization` header.
pub const HTTP_CLIENT_REQUEST_NO_AUTH_HEADER: &str = "HTTP_CLIENT_REQUEST_NO_AUTH_HEADER";
/// A malformed `Authorization` header.
pub const HTTP_CLIENT_REQUEST_BAD_AUTH_HEADER: &str = "HTTP_CLIENT_REQUEST_BAD_AUTH_HEADER";
/// Credentials that match no client.
pub const HTTP_CLIENT_REQUEST_NOT_AUTHORIZED: &str = "HTTP_CLIENT_REQUEST_NOT_AUTHORIZED";
/// Credentials that match a client.
pub const HTTP_CLIENT_REQUEST_AUTHORIZED: &str = "HTTP_CLIENT_REQUEST_AUTHORIZED";
/// A request was refused before reaching the command layer.
pub const HTTP_BAD_CLIENT_REQUEST_RECEIVED: &str = "HTTP_BAD_CLIENT_REQUEST_RECEIVED";

/// Debug level of per-request details (Kea's `DBGLVL_TRACE_BASIC`).
pub const DBG_TRACE_BASIC: u8 = 40;
