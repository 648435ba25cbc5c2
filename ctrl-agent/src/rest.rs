//! The REST side of the agent (ARM `agent.rst`; `ctrl-channel.rst`, "Control Agent
//! Command Response Format"; INVENTORY §7.2): every request is `POST` with
//! `Content-Type: application/json`, authenticated when clients are configured, and answered
//! 200 with a JSON list — one answer per service the command was forwarded to, or the
//! agent's own answer. Errors outside the command layer are bare maps with the HTTP status
//! as `result` (`400 Bad Request`, `401 Unauthorized`).

use std::sync::Arc;

use arc_swap::ArcSwap;
use kea_http::header::{self, HeaderValue};
use kea_http::{AuthOutcome, BodyError, Handler, HttpRequest, HttpResponse, Method, StatusCode};
use kea_process::ctrl::request::parse_wire;
use kea_process::ctrl::{CONTROL_RESULT_COMMAND_UNSUPPORTED, CommandRegistry, answer};
use kea_process::json::to_kea_string;
use serde_json::Value;

use crate::config::Routing;
use crate::forward::forward;
use crate::messages::*;
use crate::request::AgentRequest;

/// Kea's addition to the agent's "command not supported" answer.
const NO_SERVICE_HINT: &str = " You did not include \"service\" parameter in the command, which indicates that Kea Control Agent should process this command rather than forward it to one or more Kea servers. If you aimed to send this command to one of the Kea servers you should include the \"service\" parameter in your request, e.g. \"service\": [ \"dhcp4\" ] to forward the command to the DHCPv4 server, or \"service\": [ \"dhcp4\", \"dhcp6\", \"d2\" ] to forward it to DHCPv4, DHCPv6 and D2 servers etc.";

/// The agent's request handler: the current routing (swapped on reconfiguration) and the
/// agent's own command registry.
#[derive(Debug)]
pub struct RestHandler {
    routing: Arc<ArcSwap<Routing>>,
    registry: Arc<CommandRegistry>,
}

impl RestHandler {
    /// A handler reading `routing` at each request and running own commands on `registry`.
    pub fn new(routing: Arc<ArcSwap<Routing>>, registry: Arc<CommandRegistry>) -> Self {
        Self { routing, registry }
    }

    /// Runs a validated command: forwarded in order, or handled by the agent.
    async fn dispatch(&self, req: &AgentRequest, routing: &Routing, remote: &str) -> Vec<Value> {
        if req.services.is_empty() {
            return vec![self.own_command(req).await];
        }
        let forwarded = req.forwarded(remote);
        let mut answers = Vec::with_capacity(req.services.len());
        for service in &req.services {
            let a = match routing.sockets.get(service) {
                Some(path) => forward(service, path, &forwarded, remote).await,
                None => answer(
                    kea_process::ctrl::CONTROL_RESULT_ERROR,
                    format!("forwarding socket is not configured for the server type {service}"),
                ),
            };
            answers.push(a);
        }
        answers
    }

    async fn own_command(&self, req: &AgentRequest) -> Value {
        tracing::info!(target: "kea-ctrl-agent", logger = "kea-ctrl-agent.commands", msgid = "COMMAND_RECEIVED",
            "Received command '{}'", req.command);
        if !self.registry.contains(&req.command) {
            return answer(
                CONTROL_RESULT_COMMAND_UNSUPPORTED,
                format!("'{}' command not supported.{NO_SERVICE_HINT}", req.command),
            );
        }
        let a = self
            .registry
            .execute(&req.command, req.arguments.clone())
            .await;
        agent_texts(&req.command, a)
    }
}

/// The framework's answer texts are the DHCP servers'; Kea's agent words a few differently.
fn agent_texts(command: &str, mut a: Value) -> Value {
    let replacement = match (command, a.get("text").and_then(Value::as_str)) {
        (
            "config-set" | "config-reload",
            Some(kea_process::daemon::builtin::CONFIG_SUCCESS_TEXT),
        ) => Some("Configuration applied successfully."),
        ("shutdown", Some("Shutting down.")) => Some("Control Agent is shutting down"),
        _ => None,
    };
    if let (Some(text), Value::Object(m)) = (replacement, &mut a) {
        m.insert("text".into(), Value::String(text.into()));
    }
    a
}

/// A JSON response with Kea's headers, in Kea's order: Content-Length, Content-Type, Date.
fn json_response(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::new(status, body.clone())
        .with_header(header::CONTENT_LENGTH, HeaderValue::from(body.len()))
        .with_header(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )
        .with_header(
            header::DATE,
            HeaderValue::from_str(&kea_http::date::now())
                .unwrap_or_else(|_| HeaderValue::from_static("")),
        )
}

/// `{ "result": <status>, "text": "<reason>" }` with that HTTP status.
fn status_response(status: StatusCode) -> HttpResponse {
    let reason = status.canonical_reason().unwrap_or("");
    json_response(
        status,
        format!(
            "{{ \"result\": {}, \"text\": \"{reason}\" }}",
            status.as_u16()
        ),
    )
}

fn bad_request(req: &HttpRequest, why: &str) -> HttpResponse {
    tracing::debug!(target: "kea-ctrl-agent", logger = LOG_HTTP, dbg = DBG_TRACE_BASIC,
        msgid = HTTP_BAD_CLIENT_REQUEST_RECEIVED,
        "bad request received from {}: {why}", req.remote.ip());
    status_response(StatusCode::BAD_REQUEST)
}

impl Handler for RestHandler {
    async fn handle(&self, req: HttpRequest) -> HttpResponse {
        if req.method != Method::POST {
            return bad_request(&req, &format!("use of HTTP {} not allowed", req.method));
        }
        match req.headers.get(header::CONTENT_TYPE) {
            None => {
                return bad_request(
                    &req,
                    "required header content-type not found in the HTTP request",
                );
            }
            Some(v) if v.as_bytes() != b"application/json" => {
                return bad_request(
                    &req,
                    &format!(
                        "required header's content-type value is application/json, but {} was found",
                        String::from_utf8_lossy(v.as_bytes())
                    ),
                );
            }
            Some(_) => {}
        }
        // Kea's parser wants the body length announced (no chunked bodies).
        if !req.headers.contains_key(header::CONTENT_LENGTH) {
            return bad_request(
                &req,
                "required header content-length not found in the HTTP request",
            );
        }
        let routing = self.routing.load_full();
        if let Some(auth) = &routing.auth {
            let outcome = auth.check(
                req.headers
                    .get(header::AUTHORIZATION)
                    .map(HeaderValue::as_bytes),
            );
            match outcome {
                AuthOutcome::Authorized { user } => {
                    tracing::info!(target: "kea-ctrl-agent", logger = LOG_AUTH, msgid = HTTP_CLIENT_REQUEST_AUTHORIZED,
                        "received HTTP request authorized for '{user}'");
                }
                other => {
                    let (msgid, text) = match other {
                        AuthOutcome::MissingHeader => (
                            HTTP_CLIENT_REQUEST_NO_AUTH_HEADER,
                            "received HTTP request without required authentication header",
                        ),
                        AuthOutcome::BadHeader => (
                            HTTP_CLIENT_REQUEST_BAD_AUTH_HEADER,
                            "received HTTP request with malformed authentication header",
                        ),
                        _ => (
                            HTTP_CLIENT_REQUEST_NOT_AUTHORIZED,
                            "received HTTP request with not matching authentication header",
                        ),
                    };
                    tracing::info!(target: "kea-ctrl-agent", logger = LOG_AUTH, msgid = msgid, "{text}");
                    let mut r = status_response(StatusCode::UNAUTHORIZED);
                    if let Ok(v) = HeaderValue::from_str(&auth.challenge()) {
                        r = r.with_header(header::WWW_AUTHENTICATE, v);
                    }
                    return r;
                }
            }
        }
        let parsed = match parse_wire(&req.body, true) {
            Ok(Some(v)) => v,
            Ok(None) => {
                return bad_request(
                    &req,
                    "unable to parse the body of the HTTP request: no JSON value",
                );
            }
            Err(e) => {
                return bad_request(
                    &req,
                    &format!("unable to parse the body of the HTTP request: {e}"),
                );
            }
        };
        let remote = req.remote.ip().to_string();
        let answers = match AgentRequest::from_value(&parsed) {
            Ok(r) => {
                tracing::info!(target: "kea-ctrl-agent", logger = LOG_CTRL_AGENT, msgid = CTRL_AGENT_COMMAND_RECEIVED,
                    "command {} received from remote address {remote}", r.command);
                self.dispatch(&r, &routing, &remote).await
            }
            Err(e) => vec![answer(
                kea_process::ctrl::CONTROL_RESULT_ERROR,
                e.locate(&req.body).to_string(),
            )],
        };
        json_response(StatusCode::OK, to_kea_string(&Value::Array(answers)))
    }

    fn body_error(&self, error: &BodyError) -> HttpResponse {
        tracing::debug!(target: "kea-ctrl-agent", logger = LOG_HTTP, dbg = DBG_TRACE_BASIC,
            msgid = HTTP_BAD_CLIENT_REQUEST_RECEIVED, "bad request received: {error}");
        // KEA-DIFF: Kea 2.2 has no body bound and no body timeout; the statuses are HTTP's.
        status_response(match error {
            BodyError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            BodyError::Timeout => StatusCode::REQUEST_TIMEOUT,
            BodyError::Read(_) => StatusCode::BAD_REQUEST,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn response_layout() {
        let r = status_response(StatusCode::BAD_REQUEST);
        assert_eq!(r.body, "{ \"result\": 400, \"text\": \"Bad Request\" }");
        let names: Vec<_> = r.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["content-length", "content-type", "date"]);
        assert_eq!(r.headers[0].1, "40");
        assert_eq!(
            status_response(StatusCode::UNAUTHORIZED).body,
            "{ \"result\": 401, \"text\": \"Unauthorized\" }"
        );
    }

    #[test]
    fn agent_wording() {
        assert_eq!(
            agent_texts(
                "config-set",
                json!({"result": 0, "text": "Configuration successful."})
            ),
            json!({"result": 0, "text": "Configuration applied successfully."})
        );
        assert_eq!(
            agent_texts("shutdown", json!({"result": 0, "text": "Shutting down."}))["text"],
            "Control Agent is shutting down"
        );
        assert_eq!(
            agent_texts("config-set", json!({"result": 1, "text": "bad"}))["text"],
            "bad"
        );
    }
}
