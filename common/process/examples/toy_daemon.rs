//! A minimal daemon on the kea-process framework: how a server plugs in (Daemon trait,
//! own command, statistics, lifecycle messages). Run:
//! `KEA_PIDFILE_DIR=/tmp cargo run -p kea-process --example toy_daemon -- -c toy.conf`

#![allow(missing_docs)] // example binary

use std::process::ExitCode;
use std::sync::Mutex;

use kea_config::json::Element;
use kea_process::cli::{SwitchSet, UsageStyle};
use kea_process::ctrl::{CONTROL_RESULT_SUCCESS, answer};
use kea_process::daemon::{
    DHCP_CONFIG_TEST_TEXT, Daemon, DaemonContext, DaemonInfo, LifecycleEvent, StatisticCommands,
    run,
};
use serde_json::Value;

const INFO: DaemonInfo = DaemonInfo {
    name: "kea-toy",
    root_key: "Toy",
    switches: SwitchSet {
        program: "kea-toy",
        usage: UsageStyle::Dhcp {
            description: "Kea toy server",
        },
        ports: true,
        full_check: true,
    },
    statistic_commands: StatisticCommands::All,
    server_tag_command: true,
    config_test_text: DHCP_CONFIG_TEST_TEXT,
};

#[derive(Debug, thiserror::Error)]
#[error("'value' must be an integer")]
struct ToyError;

struct Toy {
    ctx: DaemonContext,
    config: Mutex<Value>,
}

impl Daemon for Toy {
    type Error = ToyError;

    fn check(&self, config: &Element, _full: bool) -> Result<(), ToyError> {
        match config.to_value().get("value") {
            Some(v) if !v.is_i64() => Err(ToyError),
            _ => Ok(()),
        }
    }

    async fn apply(&self, config: &Element) -> Result<(), ToyError> {
        self.check(config, false)?;
        *self
            .config
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = config.to_value();
        Ok(())
    }

    fn current_config(&self) -> Value {
        self.config
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    async fn start(&self) -> Result<(), ToyError> {
        let stats = self.ctx.stats.clone();
        let stop = self.ctx.shutdown.clone();
        self.ctx.tracker.spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
            loop {
                tokio::select! {
                    () = stop.cancelled() => break,
                    _ = tick.tick() => { let _ = stats.add_value("ticks", 1i64); }
                }
            }
        });
        Ok(())
    }

    fn log_event(&self, event: LifecycleEvent<'_>) {
        match event {
            LifecycleEvent::Starting => {
                tracing::info!(target: "kea-toy.toy", msgid = "TOY_STARTING", "toy server starting")
            }
            LifecycleEvent::Started => {
                tracing::info!(target: "kea-toy.toy", msgid = "TOY_STARTED", "toy server started")
            }
            LifecycleEvent::Shutdown => {
                tracing::info!(target: "kea-toy.toy", msgid = "TOY_SHUTDOWN", "server shutdown")
            }
            other => tracing::warn!(target: "kea-toy.toy", msgid = "TOY_EVENT", "{other:?}"),
        }
    }
}

fn main() -> ExitCode {
    run(INFO, |ctx| {
        ctx.registry
            .register_sync("toy-ping", |_| answer(CONTROL_RESULT_SUCCESS, "pong"))
            .expect("registered once on a fresh registry");
        Toy {
            ctx,
            config: Mutex::new(Value::Null),
        }
    })
}
