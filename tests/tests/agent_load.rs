//! Concurrent clients through kea-ctrl-agent to kea-dhcp4 (ARM `agent.rst`; INVENTORY §7.2):
//! every request gets its own answer, none is lost and none is another client's.
//!
//! Each client thread keeps one HTTP/1.1 connection and alternates `statistic-get` of its own
//! subnet's `total-addresses` (a name and a value no other thread asks for) with `status-get`
//! (kea-dhcp4's PID). No timing is asserted; the rate is printed as a `RESULT` line, which
//! `bench/agent.sh` reads. `AGENT_LOAD_THREADS` (1..=16, default 8) and
//! `AGENT_LOAD_REQUESTS` (per thread, default 500) change the load; `KEA_AGENT_BIN` and
//! `KEA_DHCP4_BIN` the programs.
#![allow(missing_docs)] // test binary

#[allow(dead_code)] // each test binary uses its own part of the stack
mod agent_stack;

use std::time::Instant;

use agent_stack::{AgentOptions, Binaries, Connection, SUBNETS, Stack, pool_size};
use serde_json::{Value, json};

/// A positive number from the environment variable `var`, else `default`.
fn setting(var: &str, default: u32) -> u32 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(default)
}

/// Sends request `k` of the thread asking about subnet `subnet` (even: its statistic, odd:
/// kea-dhcp4's status) and checks the answer; `Err` says what was wrong.
fn exchange(conn: &mut Connection, subnet: u32, k: u32, pid: u32) -> Result<(), String> {
    let name = format!("subnet[{subnet}].total-addresses");
    let statistic = k.is_multiple_of(2);
    let request = if statistic {
        json!({"command": "statistic-get", "service": ["dhcp4"], "arguments": {"name": name}})
    } else {
        json!({"command": "status-get", "service": ["dhcp4"]})
    };
    let (status, body) = conn
        .post(&request.to_string())
        .map_err(|e| format!("request {k}: {e}"))?;
    let answer: Value =
        serde_json::from_str(&body).map_err(|e| format!("request {k}: {e}: {body}"))?;
    let ok = status == 200
        && answer.as_array().map(Vec::len) == Some(1)
        && answer[0]["result"] == 0
        && if statistic {
            let args = answer[0]["arguments"].as_object();
            args.map(|m| m.len()) == Some(1)
                && answer[0]["arguments"][&name][0][0] == pool_size(subnet)
        } else {
            answer[0]["arguments"]["pid"] == pid
        };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "request {k} ({request}) of subnet {subnet}'s thread got {status} {body}"
        ))
    }
}

#[test]
fn concurrent_clients_each_get_their_own_answers() {
    let Some(bins) = Binaries::find("concurrent_clients_each_get_their_own_answers") else {
        return;
    };
    let threads = setting("AGENT_LOAD_THREADS", 8).min(SUBNETS);
    let requests = setting("AGENT_LOAD_REQUESTS", 500);
    let (agent, dhcp4) = (bins.agent.clone(), bins.dhcp4.clone());
    let mut stack = Stack::start(bins, &AgentOptions::default());
    let pid = stack.dhcp4_pid();
    let port = stack.port;

    let start = Instant::now();
    let workers: Vec<_> = (1..=threads)
        .map(|subnet| {
            std::thread::spawn(move || {
                let mut conn = Connection::new(port);
                let mut answered = 0u32;
                for k in 0..requests {
                    exchange(&mut conn, subnet, k, pid)?;
                    answered += 1;
                }
                Ok::<u32, String>(answered)
            })
        })
        .collect();
    let results: Vec<Result<u32, String>> = workers
        .into_iter()
        .map(|w| w.join().unwrap_or_else(|_| Err("thread panicked".into())))
        .collect();
    let seconds = start.elapsed().as_secs_f64();

    let failures: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(failures.is_empty(), "{failures:#?}\n{}", stack.logs());
    let total: u32 = results.iter().flatten().sum();
    assert_eq!(total, threads * requests);
    println!(
        "RESULT agent={} dhcp4={} threads={threads} requests={total} seconds={seconds:.2} requests_per_s={:.0}",
        agent.display(),
        dhcp4.display(),
        f64::from(total) / seconds
    );

    // Both daemons survived the load and still answer.
    let mut conn = Connection::new(port);
    let r = exchange(&mut conn, 1, 0, pid);
    assert_eq!(r, Ok(()));
    assert!(stack.agent_running());
}
