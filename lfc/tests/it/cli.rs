//! The command line: Kea 2.2's usage text, messages, output streams and exit codes.

use std::process::Command;

use crate::harness::{kea, ours};

const USAGE: &str = "Usage: kea-lfc
 [-4|-6] -p file -x file -i file -o file -f file -c file
   -4 or -6 clean a set of v4 or v6 lease files
   -p <file>: PID file
   -x <file>: previous or ex lease file
   -i <file>: copy of lease file
   -o <file>: output lease file
   -f <file>: finish file
   -c <file>: configuration file
   -v: print version number and exit
   -V: print extended version information and exit
   -d: optional, verbose output 
   -h: print this message 

";

struct Answer {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn answer(bin: &std::path::Path, args: &[&str]) -> Answer {
    let out = Command::new(bin)
        .env_clear()
        .args(args)
        .output()
        .expect("run");
    Answer {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn usage_error(message: &str) -> String {
    format!("Usage error: {message}\n{USAGE}Service failed: {message}\n")
}

#[test]
fn informational_switches() {
    let a = answer(ours(), &["-h"]);
    assert_eq!(
        (a.code, a.stdout.as_str(), a.stderr.as_str()),
        (Some(0), "", USAGE)
    );
    let a = answer(ours(), &["-v"]);
    assert_eq!((a.code, a.stdout.as_str()), (Some(0), "2.2.0\n"));
    let a = answer(ours(), &["-4", "-V", "-z"]);
    assert_eq!((a.code, a.stdout.as_str()), (Some(0), "2.2.0\ntarball\n\n"));
    let a = answer(ours(), &["-W"]);
    assert_eq!(a.code, Some(0));
    assert!(a.stdout.contains("Kea source configure results:"));
    assert!(a.stdout.contains("Version:           2.2.0"));
}

#[test]
fn usage_errors_exit_1_with_keas_messages() {
    for (args, message) in [
        (&["-z"][..], "Unknown argument"),
        (&[], "DHCP version required"),
        (&["-4"], "PID file not specified"),
        (&["-6", "-p", "p", "-x", "x"], "Copy file not specified"),
        (&["-4", "-p"], "Missing option argument"),
        (&["-4", "word"], "Extraneous parameters."),
        (
            &["-4", "-p", "p", "-x", "x", "-i", "i", "-o", "o", "-f", "f"],
            "Config file not specified",
        ),
    ] {
        let a = answer(ours(), args);
        assert_eq!(a.code, Some(1), "{args:?}");
        assert_eq!(a.stdout, "", "{args:?}");
        assert_eq!(a.stderr, usage_error(message), "{args:?}");
    }
}

/// Every answer but the build report's text is Kea's, byte for byte.
#[test]
fn command_line_answers_are_keas() {
    let Some(kea) = kea("command_line_answers_are_keas") else {
        return;
    };
    let cases: &[&[&str]] = &[
        &["-h"],
        &["-v"],
        &["-V"],
        &["-d", "-h"],
        &["-z"],
        &["-z", "-v"],
        &["-v", "-z"],
        &["extra", "-v"],
        &[],
        &["-4"],
        &["-4", "-6", "-p", "p", "-x", "x"],
        &["-4", "-p", ""],
        &["-4", "-p"],
        &["-4", "word"],
        &["-4", "--", "-v"],
        &["--help"],
        &["-4d", "-pp", "-x", "x", "-i", "i", "-o", "o", "-f", "f"],
        &[
            "-4", "-p", "p", "-x", "x", "-i", "i", "-o", "o", "-f", "f", "-c", "c", "extra",
        ],
    ];
    for args in cases {
        let ours = answer(ours(), args);
        let theirs = answer(kea, args);
        assert_eq!(ours.code, theirs.code, "{args:?}");
        assert_eq!(ours.stdout, theirs.stdout, "{args:?}");
        assert_eq!(ours.stderr, theirs.stderr, "{args:?}");
    }
    let ours = answer(ours(), &["-W"]);
    let theirs = answer(kea, &["-W"]);
    assert_eq!(ours.code, theirs.code);
}
