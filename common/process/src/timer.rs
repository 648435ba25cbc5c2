//! Timers that follow the published configuration: each turn waits the interval the
//! current configuration gives (0: paused), and a new configuration restarts the wait at
//! once with its own interval (reclamation, flush, lease file cleanup).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

/// A service that publishes configuration snapshots and wakes waiters when it does.
pub trait Reconfigurable: Send + Sync + 'static {
    /// The published snapshot.
    type Runtime: Send + Sync + 'static;
    /// The current snapshot, if any.
    fn runtime(&self) -> Option<Arc<Self::Runtime>>;
    /// Notified (`notify_waiters`) on every publish.
    fn reconfigured(&self) -> &Notify;
}

/// Runs `tick` every `interval(snapshot)` seconds until `stop`.
pub fn spawn_config_timer<S: Reconfigurable>(
    svc: Arc<S>,
    stop: CancellationToken,
    interval: fn(&S::Runtime) -> u32,
    tick: fn(&Arc<S>, &S::Runtime),
) {
    tokio::spawn(async move {
        loop {
            let secs = svc.runtime().map(|r| interval(&r)).unwrap_or(0);
            let wait = async {
                if secs == 0 {
                    std::future::pending::<()>().await;
                }
                tokio::time::sleep(Duration::from_secs(secs.into())).await;
            };
            tokio::select! {
                _ = stop.cancelled() => break,
                _ = svc.reconfigured().notified() => continue,
                _ = wait => {}
            }
            if let Some(rt) = svc.runtime() {
                tick(&svc, &rt);
            }
        }
    });
}
