//! [`CommandRegistry`]: the single table of a daemon's control commands, built-in and
//! hook-library ones alike, so `list-commands` is always the truth (ARM `ctrl-channel.rst`,
//! "list-commands"; ARCHITECTURE "Control").

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, PoisonError, RwLock, Weak};

use serde_json::Value;

use super::answer::{
    CONTROL_RESULT_COMMAND_UNSUPPORTED, CONTROL_RESULT_SUCCESS, answer, answer_with_args,
};
use super::request::{Request, RequestError};

/// The future a command handler returns: the complete answer map.
pub type HandlerFuture = Pin<Box<dyn Future<Output = Value> + Send>>;

type Handler = Arc<dyn Fn(Option<Value>) -> HandlerFuture + Send + Sync>;

/// Errors from changing the registry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    /// A handler for this name exists already (Kea refuses double registration too).
    #[error("handler for command '{name}' is already installed")]
    Duplicate {
        /// The command name.
        name: String,
    },
}

/// Command name → async handler. Shared as `Arc<CommandRegistry>`; `list-commands` is
/// registered at construction and reads the table itself.
pub struct CommandRegistry {
    handlers: RwLock<BTreeMap<String, Handler>>,
    /// Logger for `COMMAND_RECEIVED` (`<daemon>.commands`).
    log_target: String,
}

impl std::fmt::Debug for CommandRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommandRegistry")
            .field("commands", &self.commands())
            .finish()
    }
}

impl CommandRegistry {
    /// A registry holding only `list-commands`; `daemon_name` (e.g. `kea-dhcp4`) names the
    /// logger commands are logged on.
    pub fn new(daemon_name: &str) -> Arc<Self> {
        Arc::new_cyclic(|weak: &Weak<Self>| {
            let weak = weak.clone();
            let list: Handler = Arc::new(move |_args| {
                let names = weak.upgrade().map(|r| r.commands()).unwrap_or_default();
                let list = Value::Array(names.into_iter().map(Value::String).collect());
                Box::pin(async move { answer_with_args(CONTROL_RESULT_SUCCESS, None, list) })
            });
            let mut handlers = BTreeMap::new();
            handlers.insert("list-commands".to_owned(), list);
            Self {
                handlers: RwLock::new(handlers),
                log_target: format!("{daemon_name}.commands"),
            }
        })
    }

    /// Registers an async handler: it receives the command's `arguments` (if any) and
    /// returns the whole answer (build it with [`answer`](super::answer)).
    pub fn register<F, Fut>(&self, name: &str, handler: F) -> Result<(), RegistryError>
    where
        F: Fn(Option<Value>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Value> + Send + 'static,
    {
        let handler: Handler = Arc::new(move |args| Box::pin(handler(args)));
        let mut map = self
            .handlers
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if map.contains_key(name) {
            return Err(RegistryError::Duplicate {
                name: name.to_owned(),
            });
        }
        map.insert(name.to_owned(), handler);
        Ok(())
    }

    /// Registers a synchronous handler (for commands that only read or flip in-memory state).
    pub fn register_sync<F>(&self, name: &str, handler: F) -> Result<(), RegistryError>
    where
        F: Fn(Option<Value>) -> Value + Send + Sync + 'static,
    {
        let handler = Arc::new(handler);
        self.register(name, move |args| {
            let answer = handler(args);
            async move { answer }
        })
    }

    /// Removes a handler (hook library unload); false when it was not registered.
    pub fn deregister(&self, name: &str) -> bool {
        self.handlers
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(name)
            .is_some()
    }

    /// Whether `name` is registered.
    pub fn contains(&self, name: &str) -> bool {
        self.handlers
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .contains_key(name)
    }

    /// Registered command names, sorted (the `list-commands` answer).
    pub fn commands(&self) -> Vec<String> {
        self.handlers
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .keys()
            .cloned()
            .collect()
    }

    /// Runs one command; an unregistered name gets Kea's result 2 answer.
    pub async fn execute(&self, name: &str, args: Option<Value>) -> Value {
        let handler = self
            .handlers
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(name)
            .cloned();
        match handler {
            Some(handler) => handler(args).await,
            None => answer(
                CONTROL_RESULT_COMMAND_UNSUPPORTED,
                format!("'{name}' command not supported."),
            ),
        }
    }

    /// Validates a received request (a parsed JSON value) and runs it: the whole
    /// per-connection logic minus I/O.
    pub async fn process(&self, request: Value) -> Value {
        match Request::from_value(request) {
            Ok(req) => {
                tracing::info!(
                    target: "kea-process",
                    logger = %self.log_target,
                    msgid = "COMMAND_RECEIVED",
                    "Received command '{}'",
                    req.command
                );
                self.execute(&req.command, req.arguments).await
            }
            Err(e) => error_answer(&e),
        }
    }
}

/// The answer to a request that could not be parsed or validated.
pub fn error_answer(e: &RequestError) -> Value {
    answer(super::answer::CONTROL_RESULT_ERROR, e.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use super::*;
    use serde_json::json;

    #[tokio::test]
    async fn registers_lists_and_dispatches() {
        let r = CommandRegistry::new("kea-test");
        r.register_sync("b-cmd", |_| answer(0, "b")).unwrap();
        r.register("a-cmd", |args| async move {
            answer_with_args(0, None, args.unwrap_or(Value::Null))
        })
        .unwrap();
        assert_eq!(
            r.register_sync("b-cmd", |_| answer(0, "again")),
            Err(RegistryError::Duplicate {
                name: "b-cmd".into()
            })
        );
        let list = r.execute("list-commands", None).await;
        assert_eq!(
            list,
            json!({"result": 0, "arguments": ["a-cmd", "b-cmd", "list-commands"]})
        );
        assert_eq!(
            r.execute("a-cmd", Some(json!({"x": 1}))).await["arguments"]["x"],
            1
        );
        assert_eq!(
            r.execute("foo", None).await,
            json!({"result": 2, "text": "'foo' command not supported."})
        );
        assert!(r.deregister("b-cmd"));
        assert!(!r.contains("b-cmd"));
    }

    #[tokio::test]
    async fn process_validates_requests() {
        let r = CommandRegistry::new("kea-test");
        let a = r
            .process(json!({"command": "list-commands", "service": ["dhcp4"]}))
            .await;
        assert_eq!(a["result"], 0);
        let a = r.process(json!({"command": 5})).await;
        assert_eq!(
            a["text"],
            "Error during command processing: 'command' element in command message is not a string"
        );
        let a = r.process(json!([1])).await;
        assert_eq!(a["result"], 1);
    }
}
