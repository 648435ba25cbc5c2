//! A command received over HTTP: Kea's validation of the command map (the same rules as
//! the UNIX control channel, plus `service` and `remote-address`) and its error texts
//! (ARM `ctrl-channel.rst`, "Data Syntax"; INVENTORY §7.2).

use kea_config::json::Position;
use serde_json::{Map, Value};

/// Prefix Kea puts on command-validation errors.
const PROCESSING: &str = "Error during command processing: ";

/// Why a command map was refused; `Display` is the answer's `text`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// The body is not a map.
    #[error("{PROCESSING}Invalid command Element specified, expected map")]
    NotAMap,
    /// No `command`.
    #[error("{PROCESSING}Invalid answer specified, does not contain mandatory 'command'")]
    MissingCommand,
    /// `command` is not a string.
    #[error("{PROCESSING}'command' element in command message is not a string")]
    CommandNotString,
    /// A key other than `command`, `arguments`, `service`, `remote-address`.
    #[error("{PROCESSING}Received command contains unsupported parameter '{key}'")]
    UnsupportedParameter {
        /// The key.
        key: String,
    },
    /// `service` is not a list.
    #[error("service value must be a list")]
    ServiceNotList,
    /// An item of `service` is not a string; Kea names its place in the request text.
    #[error("{PROCESSING}stringValue() called on non-string Element{}", in_text(.at.as_ref()))]
    ServiceNotString {
        /// Which item.
        index: usize,
        /// Where it is in the request body (`<string>:line:col`), once located.
        at: Option<Position>,
    },
}

fn in_text(at: Option<&Position>) -> String {
    at.map(|p| format!(" in ({p})")).unwrap_or_default()
}

impl RequestError {
    /// Fills in the position of a non-string `service` item from the request `body`, as
    /// Kea's reader of the body (named `<string>`) records it. Bodies holding an include
    /// directive are not read again (no file is ever opened on a client's behalf).
    pub fn locate(self, body: &[u8]) -> Self {
        let Self::ServiceNotString { index, at: None } = self else {
            return self;
        };
        let at = std::str::from_utf8(body)
            .ok()
            .filter(|text| !text.contains("<?"))
            .and_then(|text| kea_config::json::parse_str_with_warnings(text, "<string>").ok())
            .and_then(|(root, _)| {
                root.get("service")
                    .and_then(|s| s.item(index))
                    .map(|e| e.pos().clone())
            });
        Self::ServiceNotString { index, at }
    }
}

/// A validated command.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentRequest {
    /// The command name.
    pub command: String,
    /// Its arguments.
    pub arguments: Option<Value>,
    /// The services to forward to, in order; empty means the agent itself.
    pub services: Vec<String>,
}

impl AgentRequest {
    /// Validates a parsed request body.
    pub fn from_value(v: &Value) -> Result<Self, RequestError> {
        let Value::Object(map) = v else {
            return Err(RequestError::NotAMap);
        };
        let command = match map.get("command") {
            None => return Err(RequestError::MissingCommand),
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err(RequestError::CommandNotString),
        };
        if let Some(key) = map.keys().find(|k| {
            !matches!(
                k.as_str(),
                "command" | "arguments" | "service" | "remote-address"
            )
        }) {
            return Err(RequestError::UnsupportedParameter { key: key.clone() });
        }
        let services = match map.get("service") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(index, s)| {
                    s.as_str()
                        .map(str::to_owned)
                        .ok_or(RequestError::ServiceNotString { index, at: None })
                })
                .collect::<Result<Vec<_>, _>>()?,
            Some(_) => return Err(RequestError::ServiceNotList),
        };
        Ok(Self {
            command,
            arguments: map.get("arguments").cloned(),
            services,
        })
    }

    /// The map sent to a daemon: the command, its arguments, the services and the client's
    /// address, as Kea's agent sends it.
    pub fn forwarded(&self, remote_address: &str) -> Value {
        let mut m = Map::new();
        if let Some(args) = &self.arguments {
            m.insert("arguments".into(), args.clone());
        }
        m.insert("command".into(), Value::String(self.command.clone()));
        m.insert(
            "remote-address".into(),
            Value::String(remote_address.to_owned()),
        );
        m.insert(
            "service".into(),
            Value::Array(self.services.iter().cloned().map(Value::String).collect()),
        );
        Value::Object(m)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn validation_texts() {
        let t = |v: Value| AgentRequest::from_value(&v).unwrap_err().to_string();
        assert_eq!(
            t(json!([1, 2])),
            "Error during command processing: Invalid command Element specified, expected map"
        );
        assert_eq!(
            t(json!({})),
            "Error during command processing: Invalid answer specified, does not contain mandatory 'command'"
        );
        assert_eq!(
            t(json!({"command": 5})),
            "Error during command processing: 'command' element in command message is not a string"
        );
        assert_eq!(
            t(json!({"command": "x", "extra": 1})),
            "Error during command processing: Received command contains unsupported parameter 'extra'"
        );
        assert_eq!(
            t(json!({"command": "x", "service": "dhcp4"})),
            "service value must be a list"
        );
        let body = b"{\"command\":\"list-commands\",\n \"service\":\n [ \"dhcp4\", 1 ]}";
        let e = AgentRequest::from_value(&serde_json::from_slice(body).unwrap()).unwrap_err();
        assert_eq!(e, RequestError::ServiceNotString { index: 1, at: None });
        assert_eq!(
            e.clone().locate(body).to_string(),
            "Error during command processing: stringValue() called on non-string Element in (<string>:3:13)"
        );
        assert_eq!(
            e.locate(b"<?include \"x\"?>").to_string(),
            "Error during command processing: stringValue() called on non-string Element"
        );
    }

    #[test]
    fn forwarded_form() {
        let r = AgentRequest::from_value(&json!({
            "command": "config-get", "service": ["dhcp4", "dhcp6"], "remote-address": "10.0.0.1"
        }))
        .unwrap();
        assert_eq!(r.services, ["dhcp4", "dhcp6"]);
        assert_eq!(
            r.forwarded("127.0.0.1"),
            json!({"command": "config-get", "remote-address": "127.0.0.1", "service": ["dhcp4", "dhcp6"]})
        );
        let r = AgentRequest::from_value(&json!({"command": "x", "arguments": {"a": 1}})).unwrap();
        assert_eq!(r.forwarded("::1")["arguments"], json!({"a": 1}));
        assert!(r.services.is_empty());
    }
}
