//! The file protocol under interruption: a run killed after any step leaves files from
//! which the next run reaches the same end state; the PID file keeps runs apart.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::harness::{Family, LeaseDir, fixture, kea, log_ids, ours};

/// A PID no process can have (above the kernel's largest `pid_max`): the PID file left by
/// a run killed with SIGKILL.
const DEAD_PID: &str = "2147483000\n";

/// The crash points: the files as a run leaves them when killed after each step.
#[derive(Debug, Clone, Copy)]
enum CrashAfter {
    Start,
    PidFileCreated,
    PartOfOutput,
    OutputWritten,
    OutputRenamed,
    PreviousDeleted,
    CopyDeleted,
    FinishRenamed,
}

const CRASH_POINTS: [CrashAfter; 8] = [
    CrashAfter::Start,
    CrashAfter::PidFileCreated,
    CrashAfter::PartOfOutput,
    CrashAfter::OutputWritten,
    CrashAfter::OutputRenamed,
    CrashAfter::PreviousDeleted,
    CrashAfter::CopyDeleted,
    CrashAfter::FinishRenamed,
];

fn crashed_dir(family: Family, at: CrashAfter) -> LeaseDir {
    let dir = LeaseDir::with_fixture_inputs(family);
    let p = &dir.paths;
    let output = fixture(&format!("{}.kea-output.csv", family.name()));
    dir.write(&p.pid, DEAD_PID);
    match at {
        CrashAfter::Start => {}
        CrashAfter::PidFileCreated => dir.write(&p.pid, ""),
        CrashAfter::PartOfOutput => dir.write(&p.output, &output[..output.len() / 2]),
        CrashAfter::OutputWritten => dir.write(&p.output, &output),
        CrashAfter::OutputRenamed => dir.write(&p.finish, &output),
        CrashAfter::PreviousDeleted | CrashAfter::CopyDeleted => {
            dir.write(&p.finish, &output);
            std::fs::remove_file(&p.previous).expect("remove");
            if matches!(at, CrashAfter::CopyDeleted) {
                std::fs::remove_file(&p.input).expect("remove");
            }
        }
        CrashAfter::FinishRenamed => {
            dir.write(&p.previous, &output);
            std::fs::remove_file(&p.input).expect("remove");
        }
    }
    dir
}

fn rerun_completes(bin: &Path, family: Family, points: &[CrashAfter]) {
    let expected = fixture(&format!("{}.kea-output.csv", family.name()));
    for &at in points {
        let dir = crashed_dir(family, at);
        dir.run_ok(bin, family);
        assert_eq!(dir.names(), vec!["kea-leases.csv.2"], "{at:?}");
        assert_eq!(dir.read(&dir.paths.previous), expected, "{at:?}");
    }
}

#[test]
fn rerun_after_a_crash_at_any_step_completes() {
    rerun_completes(ours(), Family::V4, &CRASH_POINTS);
    rerun_completes(ours(), Family::V6, &CRASH_POINTS);
}

/// Kea's kea-lfc reaches the same end state from the crash points that leave neither an
/// empty PID file (KEA-DIFF: Kea then fails every run, "Unable to read PID") nor an output
/// file behind (see below).
#[test]
fn kea_completes_the_same_crashed_runs() {
    let Some(kea) = kea("kea_completes_the_same_crashed_runs") else {
        return;
    };
    let points: Vec<CrashAfter> = CRASH_POINTS
        .into_iter()
        .filter(|at| {
            !matches!(
                at,
                CrashAfter::PidFileCreated | CrashAfter::PartOfOutput | CrashAfter::OutputWritten
            )
        })
        .collect();
    rerun_completes(kea, Family::V4, &points);
    rerun_completes(kea, Family::V6, &points);
}

/// KEA-DIFF: Kea 2.2 appends to an output file left by a killed run (no header, glued to
/// the torn row), and when the tear is inside the header it fails on every later run
/// until someone deletes the file; ours starts the output afresh.
#[test]
fn a_leftover_output_is_replaced_not_appended_to() {
    let expected = fixture("v4.kea-output.csv");
    for torn_at in [50, expected.len() / 2] {
        let dir = crashed_dir(Family::V4, CrashAfter::PartOfOutput);
        dir.write(&dir.paths.output, &expected[..torn_at]);
        dir.run_ok(ours(), Family::V4);
        assert_eq!(dir.read(&dir.paths.previous), expected);
    }

    let Some(kea) = kea("a_leftover_output_is_replaced_not_appended_to") else {
        return;
    };
    let dir = crashed_dir(Family::V4, CrashAfter::PartOfOutput);
    let torn = &expected[..expected.len() / 2];
    dir.run_ok(kea, Family::V4);
    let theirs = dir.read(&dir.paths.previous);
    assert!(theirs.starts_with(&format!("{torn}10.0.0.1,")));
    assert!(theirs.len() > expected.len());

    let dir = crashed_dir(Family::V4, CrashAfter::PartOfOutput);
    dir.write(&dir.paths.output, &expected[..50]);
    for _ in 0..2 {
        dir.run_ok(kea, Family::V4);
        assert_eq!(
            dir.names(),
            [
                "kea-leases.csv.1",
                "kea-leases.csv.2",
                "kea-leases.csv.output"
            ]
        );
    }
}

/// A finished output waiting means the inputs were already compacted into it: they are
/// discarded, not read again (Kea 2.2 does the same; it also leaves a stray output).
#[test]
fn a_waiting_finish_file_wins_over_the_inputs() {
    for bin in std::iter::once(ours()).chain(kea("a_waiting_finish_file_wins_over_the_inputs")) {
        let dir = LeaseDir::with_fixture_inputs(Family::V4);
        let p = &dir.paths;
        dir.write(&p.finish, "finished\n");
        dir.write(&p.output, "stray\n");
        let out = dir.run(bin, Family::V4, true);
        assert!(out.status.success());
        assert_eq!(
            log_ids(&out.stderr),
            [
                "INFO DhcpLFC LFC_START",
                "INFO DhcpLFC LFC_ROTATING",
                "INFO DhcpLFC LFC_TERMINATE"
            ],
            "{}",
            bin.display()
        );
        assert_eq!(dir.names(), ["kea-leases.csv.2", "kea-leases.csv.output"]);
        assert_eq!(dir.read(&p.previous), "finished\n");
    }
}

#[test]
fn a_live_pid_file_makes_it_refuse() {
    for bin in std::iter::once(ours()).chain(kea("a_live_pid_file_makes_it_refuse")) {
        let mut holder = Command::new("sleep")
            .arg("30")
            .stdin(Stdio::null())
            .spawn()
            .expect("sleep");
        let dir = LeaseDir::with_fixture_inputs(Family::V4);
        let pid = format!("{}\n", holder.id());
        dir.write(&dir.paths.pid, &pid);
        let before = dir.names();
        let out = dir.run(bin, Family::V4, true);
        let _ = holder.kill();
        let _ = holder.wait();
        // Kea 2.2 exits with 0 after its FATAL message.
        assert!(out.status.success(), "{}", bin.display());
        assert_eq!(
            log_ids(&out.stderr),
            ["INFO DhcpLFC LFC_START", "FATAL DhcpLFC LFC_RUNNING"]
        );
        assert_eq!(dir.names(), before);
        assert_eq!(dir.read(&dir.paths.pid), pid);
    }
}

#[test]
fn a_pid_file_without_a_pid_fails_the_run() {
    for bin in std::iter::once(ours()).chain(kea("a_pid_file_without_a_pid_fails_the_run")) {
        let dir = LeaseDir::with_fixture_inputs(Family::V4);
        dir.write(&dir.paths.pid, "garbage\n");
        let out = dir.run(bin, Family::V4, false);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!(
                "Service failed: Unable to read PID from file '{}'\n",
                dir.paths.pid.display()
            )
        );
        assert!(dir.paths.input.exists() && dir.paths.previous.exists());
    }
}

#[test]
fn failures_are_logged_fatal_and_keep_the_inputs() {
    for bin in std::iter::once(ours()).chain(kea("failures_are_logged_fatal_and_keep_the_inputs")) {
        // A copy file that is no lease file.
        let dir = LeaseDir::new();
        dir.write(&dir.paths.input, "address,foo\n");
        let out = dir.run(bin, Family::V4, true);
        assert!(out.status.success());
        assert_eq!(
            log_ids(&out.stderr),
            [
                "INFO DhcpLFC LFC_START",
                "INFO DhcpLFC LFC_PROCESSING",
                "INFO DhcpLFC.dhcpsrv DHCPSRV_MEMFILE_LEASE_FILE_LOAD",
                "FATAL DhcpLFC LFC_FAIL_PROCESS",
                "INFO DhcpLFC LFC_TERMINATE",
            ]
        );
        assert_eq!(dir.names(), ["kea-leases.csv.1"]);

        // An unwritable PID file.
        let dir = LeaseDir::with_fixture_inputs(Family::V4);
        let mut args = dir.args(Family::V4);
        let at = args.iter().position(|a| a == Path::new("-p")).expect("-p") + 1;
        args[at] = "/nonexistent-dir/l.pid".into();
        args.push("-d".into());
        let out = dir.command(bin).args(&args).output().expect("run");
        assert!(out.status.success());
        assert_eq!(
            log_ids(&out.stderr),
            [
                "INFO DhcpLFC LFC_START",
                "FATAL DhcpLFC LFC_FAIL_PID_CREATE"
            ]
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains(
            "LFC_FAIL_PID_CREATE : Unable to open PID file '/nonexistent-dir/l.pid' for write\n"
        ));
        assert_eq!(dir.names().len(), 2);

        // Too many bad rows: Kea's limit is 100 per file.
        let dir = LeaseDir::new();
        let mut text = format!("{}\n", crate::harness::HEADER4);
        for i in 0..101 {
            text.push_str(&format!("bad row {i}\n"));
        }
        dir.write(&dir.paths.input, &text);
        let out = dir.run(bin, Family::V4, true);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "LFC_FAIL_PROCESS : exceeded maximum number of failures 100 to read a lease from the lease file {}\n",
                dir.paths.input.display()
            )),
            "{stderr}"
        );
        assert_eq!(dir.names(), ["kea-leases.csv.1"]);
    }
}

/// Real SIGKILLs at different moments of a run over a large input: the rerun's result is
/// the uninterrupted run's, wherever the kill landed.
#[test]
fn killed_runs_rerun_to_the_same_result() {
    let previous = crate::harness::many_updates(Family::V4, 11, 5000, 30_000);
    let copy = crate::harness::many_updates(Family::V4, 12, 5000, 30_000);
    let setup = || {
        let dir = LeaseDir::new();
        dir.write(&dir.paths.previous, &previous);
        dir.write(&dir.paths.input, &copy);
        dir
    };
    let reference = setup();
    reference.run_ok(ours(), Family::V4);
    let expected = reference.read(&reference.paths.previous);
    for delay_ms in [0, 2, 10, 30, 60, 120, 250] {
        let dir = setup();
        let mut child = dir
            .command(ours())
            .args(dir.args(Family::V4))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        dir.run_ok(ours(), Family::V4);
        assert_eq!(
            dir.names(),
            ["kea-leases.csv.2"],
            "killed after {delay_ms} ms"
        );
        assert!(
            dir.read(&dir.paths.previous) == expected,
            "killed after {delay_ms} ms"
        );
    }
}
