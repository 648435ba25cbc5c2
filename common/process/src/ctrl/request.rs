//! A received command: the bytes on the wire to a JSON value (comments allowed, complete as
//! soon as the first JSON value ends), then to a [`Request`] with Kea's validation and error
//! texts (ARM `ctrl-channel.rst`, "Data Syntax"; INVENTORY §6 behaviour notes).

use serde_json::Value;

/// Prefix Kea puts on every request-validation error.
const PROCESSING: &str = "Error during command processing: ";

/// Why a request was refused; `Display` is the answer's `text`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// The bytes are not JSON.
    #[error("{reason} in <wire>:{line}:{column}")]
    Syntax {
        /// What the JSON reader found wrong.
        reason: String,
        /// Zero-based line, as Kea prints it.
        line: usize,
        /// Column.
        column: usize,
    },
    /// The request is not a map.
    #[error("{PROCESSING}Invalid command Element specified, expected map")]
    NotAMap,
    /// The `command` key is absent.
    #[error("{PROCESSING}Invalid answer specified, does not contain mandatory 'command'")]
    MissingCommand,
    /// `command` is not a string.
    #[error("{PROCESSING}'command' element in command message is not a string")]
    CommandNotString,
    /// A key other than `command`, `arguments` and `service`.
    #[error("{PROCESSING}Received command contains unsupported parameter '{key}'")]
    UnsupportedParameter {
        /// The offending key.
        key: String,
    },
    /// The request grew beyond the size bound.
    #[error("{PROCESSING}command is larger than {limit} bytes")]
    TooLarge {
        /// The bound in bytes.
        limit: usize,
    },
    /// The client went quiet before sending a complete command.
    #[error("{PROCESSING}timeout while reading the command")]
    Timeout,
}

/// A validated command.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The command name.
    pub command: String,
    /// Its `arguments`, passed to the handler as they are.
    pub arguments: Option<Value>,
}

impl Request {
    /// Validates a parsed request map.
    pub fn from_value(v: Value) -> Result<Self, RequestError> {
        let Value::Object(mut map) = v else {
            return Err(RequestError::NotAMap);
        };
        let command = match map.remove("command") {
            None => return Err(RequestError::MissingCommand),
            Some(Value::String(s)) => s,
            Some(_) => return Err(RequestError::CommandNotString),
        };
        let arguments = map.remove("arguments");
        // `service` is for the control agent and `remote-address` is what the agent adds
        // when forwarding (the client's address, for logs); a daemon ignores both.
        map.remove("service");
        map.remove("remote-address");
        if let Some(key) = map.keys().next() {
            return Err(RequestError::UnsupportedParameter { key: key.clone() });
        }
        Ok(Self { command, arguments })
    }
}

/// Replaces `#`, `//` and `/* */` comments outside strings by spaces (keeping offsets, so
/// error columns stay right). Returns `None` while a block comment is still open.
pub fn strip_comments(input: &[u8]) -> Option<Vec<u8>> {
    let mut out = input.to_vec();
    let mut i = 0;
    let mut in_string = false;
    while i < out.len() {
        let c = out[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match c {
            b'"' => in_string = true,
            b'#' => blank_line(&mut out, &mut i),
            b'/' if out.get(i + 1) == Some(&b'/') => blank_line(&mut out, &mut i),
            b'/' if out.get(i + 1) == Some(&b'*') => {
                let end = out[i + 2..].windows(2).position(|w| w == b"*/")? + i + 4;
                for b in &mut out[i..end] {
                    if *b != b'\n' {
                        *b = b' ';
                    }
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Some(out)
}

fn blank_line(out: &mut [u8], i: &mut usize) {
    while *i < out.len() && out[*i] != b'\n' {
        out[*i] = b' ';
        *i += 1;
    }
}

/// Tries to read the first JSON value of what has been received. `Ok(None)`: incomplete,
/// read more (unless the peer has closed, then `finish` turns it into an error).
pub fn parse_wire(received: &[u8], finish: bool) -> Result<Option<Value>, RequestError> {
    let Some(clean) = strip_comments(received) else {
        return if finish {
            Err(RequestError::Syntax {
                reason: "Comment not closed".into(),
                line: 0,
                column: received.len(),
            })
        } else {
            Ok(None)
        };
    };
    let mut stream = serde_json::Deserializer::from_slice(&clean).into_iter::<Value>();
    match stream.next() {
        Some(Ok(v)) => Ok(Some(v)),
        None if !finish => Ok(None),
        Some(Err(e)) if e.is_eof() && !finish => Ok(None),
        None => Err(RequestError::Syntax {
            reason: "No JSON value received".into(),
            line: 0,
            column: 0,
        }),
        Some(Err(e)) => {
            let full = e.to_string();
            let reason = full
                .rsplit_once(" at line ")
                .map_or(full.as_str(), |(r, _)| r)
                .to_owned();
            Err(RequestError::Syntax {
                reason,
                line: e.line().saturating_sub(1),
                column: e.column(),
            })
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn comments_are_ignored() {
        let v = parse_wire(
            b"{\"command\": \"a#b\" # c\n, /* x */ \"arguments\": {} // d\n}",
            false,
        )
        .unwrap()
        .unwrap();
        assert_eq!(v, json!({"command": "a#b", "arguments": {}}));
    }

    #[test]
    fn incomplete_waits_then_fails() {
        assert_eq!(parse_wire(b"{\"command\": ", false), Ok(None));
        assert_eq!(parse_wire(b"{\"command\": 1 /* ", false), Ok(None));
        assert!(matches!(
            parse_wire(b"{\"command\": ", true),
            Err(RequestError::Syntax { .. })
        ));
        assert!(parse_wire(b"", true).is_err());
    }

    #[test]
    fn first_value_wins_and_garbage_fails() {
        let v = parse_wire(b"{\"command\":\"a\"} {\"command\":\"b\"}", false)
            .unwrap()
            .unwrap();
        assert_eq!(v["command"], "a");
        let e = parse_wire(b"{\"command\" \"x\"}", false).unwrap_err();
        assert!(e.to_string().contains("<wire>:0:"), "{e}");
    }

    #[test]
    fn request_validation() {
        assert_eq!(Request::from_value(json!([])), Err(RequestError::NotAMap));
        assert_eq!(
            Request::from_value(json!({})),
            Err(RequestError::MissingCommand)
        );
        assert_eq!(
            Request::from_value(json!({"command": "x", "extra": 1}))
                .unwrap_err()
                .to_string(),
            "Error during command processing: Received command contains unsupported parameter 'extra'"
        );
        let r =
            Request::from_value(json!({"command": "x", "service": [], "arguments": 5})).unwrap();
        let forwarded = Request::from_value(json!({"command": "x", "remote-address": "127.0.0.1"}));
        assert!(forwarded.is_ok(), "the agent's remote-address is accepted");
        assert_eq!(r.arguments, Some(json!(5)));
    }
}
