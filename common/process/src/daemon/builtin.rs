//! The built-in commands every daemon registers (ARM `ctrl-channel.rst`, "Commands
//! Supported by ..."; INVENTORY §6): build-report, config-get, config-hash-get,
//! config-reload, config-set, config-test, config-write, list-commands (the registry's own),
//! server-tag-get, shutdown, status-get, version-get and the statistic-* family.

use std::future::Future;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, Weak};

use serde_json::{Map, Value, json};

use super::controller::Controller;
use super::report::{VERSION, build_report};
use super::{Daemon, LifecycleEvent, StatisticCommands};
use crate::ctrl::{CONTROL_RESULT_ERROR, CONTROL_RESULT_SUCCESS, answer, answer_with_args};
use crate::json::to_kea_pretty;

/// Kea's text for a successful `config-set` / `config-reload`.
pub const CONFIG_SUCCESS_TEXT: &str = "Configuration successful.";

fn gone() -> Value {
    answer(CONTROL_RESULT_ERROR, "server is shutting down")
}

impl<D: Daemon> Controller<D> {
    /// Registers one command whose handler needs the controller (held weakly: the registry
    /// lives inside the controller's context).
    fn add<F, Fut>(self: &Arc<Self>, name: &str, f: F)
    where
        F: Fn(Arc<Self>, Option<Value>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Value> + Send + 'static,
    {
        let weak: Weak<Self> = Arc::downgrade(self);
        let f = Arc::new(f);
        let result = self.context().registry.register(name, move |args| {
            let me = weak.upgrade();
            let f = f.clone();
            async move {
                match me {
                    Some(me) => f(me, args).await,
                    None => gone(),
                }
            }
        });
        if let Err(e) = result {
            tracing::warn!(target: "kea-process", msgid = "COMMAND_REGISTRATION", "{e}");
        }
    }

    /// Registers the built-in commands in the context's registry.
    pub fn register_builtin_commands(self: &Arc<Self>) {
        self.add("build-report", |me, _| async move {
            answer(CONTROL_RESULT_SUCCESS, build_report(me.info().name))
        });
        self.add("version-get", |me, _| async move {
            answer_with_args(
                CONTROL_RESULT_SUCCESS,
                Some(VERSION),
                json!({"extended": me.daemon().extended_version()}),
            )
        });
        self.add("config-get", |me, _| async move {
            let mut full = me.full_config();
            let hash = super::controller::hash_config(&full);
            if let Value::Object(m) = &mut full {
                m.insert("hash".into(), Value::String(hash));
            }
            answer_with_args(CONTROL_RESULT_SUCCESS, None, full)
        });
        self.add("config-hash-get", |me, _| async move {
            answer_with_args(
                CONTROL_RESULT_SUCCESS,
                None,
                json!({"hash": me.config_hash()}),
            )
        });
        self.add("config-test", |me, args| async move {
            let result = match &args {
                None => Err(super::ConfigError::MissingArguments),
                Some(full) => me.check(full, false, false),
            };
            match result {
                Ok(()) => answer(CONTROL_RESULT_SUCCESS, me.info().config_test_text),
                Err(e) => answer(CONTROL_RESULT_ERROR, e.to_string()),
            }
        });
        self.add("config-set", |me, args| async move {
            match me.config_set(args.as_ref()).await {
                Ok(()) => answer_with_args(
                    CONTROL_RESULT_SUCCESS,
                    Some(CONFIG_SUCCESS_TEXT),
                    json!({"hash": me.config_hash()}),
                ),
                Err(e) => answer(CONTROL_RESULT_ERROR, e.to_string()),
            }
        });
        self.add("config-reload", |me, _| async move {
            let Some(file) = me.config_file().map(PathBuf::from) else {
                return answer(
                    CONTROL_RESULT_ERROR,
                    "Config reload failed: no configuration file",
                );
            };
            me.daemon()
                .log_event(LifecycleEvent::Reconfiguring { file: &file });
            match me.load_file(&file).await {
                Ok(()) => answer(CONTROL_RESULT_SUCCESS, CONFIG_SUCCESS_TEXT),
                Err(e) => answer(CONTROL_RESULT_ERROR, format!("Config reload failed: {e}")),
            }
        });
        self.add("config-write", |me, args| async move {
            config_write(&me, args.as_ref())
        });
        self.add("shutdown", |me, args| async move {
            let code = match args.as_ref().and_then(|a| a.get("exit-value")) {
                None => 0,
                Some(v) => match v.as_i64() {
                    // Exit codes are 8 bits; Kea passes the value to exit() which truncates.
                    Some(n) => (n & 0xff) as u8,
                    None => {
                        return answer(
                            CONTROL_RESULT_ERROR,
                            "parameter 'exit-value' is not an integer",
                        );
                    }
                },
            };
            me.shutdown(code);
            answer(CONTROL_RESULT_SUCCESS, "Shutting down.")
        });
        self.add("status-get", |me, _| async move {
            let mut m = Map::new();
            m.insert("pid".into(), Value::from(std::process::id()));
            m.insert("uptime".into(), Value::from(me.uptime()));
            m.insert("reload".into(), Value::from(me.since_reload()));
            m.extend(me.daemon().status());
            answer_with_args(CONTROL_RESULT_SUCCESS, None, Value::Object(m))
        });
        if self.info().server_tag_command {
            self.add("server-tag-get", |me, _| async move {
                answer_with_args(
                    CONTROL_RESULT_SUCCESS,
                    None,
                    json!({"server-tag": me.daemon().server_tag()}),
                )
            });
        }
        let stat_commands = match self.info().statistic_commands {
            StatisticCommands::All => kea_stats::commands::ALL,
            StatisticCommands::Basic => kea_stats::commands::BASIC,
            StatisticCommands::None => &[],
        };
        for (name, handler) in stat_commands {
            let handler = *handler;
            self.add(name, move |me, args| async move {
                handler(&me.context().stats, args.as_ref())
            });
        }
    }
}

/// `config-write`: `{"filename"?}` (default the `-c` file); writes Kea's pretty text.
fn config_write<D: Daemon>(me: &Controller<D>, args: Option<&Value>) -> Value {
    let filename = match args {
        None => None,
        Some(Value::Object(m)) => match m.get("filename") {
            None => None,
            Some(Value::String(s)) => Some(PathBuf::from(s)),
            Some(_) => {
                return answer(
                    CONTROL_RESULT_ERROR,
                    "passed parameter 'filename' is not a string",
                );
            }
        },
        Some(_) => return answer(CONTROL_RESULT_ERROR, "Argument must be a map"),
    };
    let Some(path) = filename.or_else(|| me.config_file().map(PathBuf::from)) else {
        return answer(
            CONTROL_RESULT_ERROR,
            "Unable to determine filename. Please specify valid filename",
        );
    };
    let text = to_kea_pretty(&me.full_config());
    let written = std::fs::File::create(&path).and_then(|mut f| f.write_all(text.as_bytes()));
    match written {
        Ok(()) => answer_with_args(
            CONTROL_RESULT_SUCCESS,
            Some(&format!(
                "Configuration written to {} successful",
                path.display()
            )),
            json!({"filename": path.display().to_string(), "size": text.len()}),
        ),
        Err(_) => answer(
            CONTROL_RESULT_ERROR,
            format!(
                "Error during write-config:Unable to open file {} for writing",
                path.display()
            ),
        ),
    }
}
