//! Version texts: `-v`/`version-get` text, `-V`/`version-get` extended text, and the
//! `-W`/`build-report` configuration report (ARM `ctrl-channel.rst`, "version-get",
//! "build-report").

/// The suite version (`2.2.0`), the workspace's.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The default extended version: version, source kind, linked components.
pub fn default_extended_version() -> String {
    format!("{VERSION}\ntarball\nlinked with:\ntracing 0.1\ntokio 1")
}

/// The build report for `daemon`, in the spirit of Kea's `config.report`.
pub fn build_report(daemon: &str) -> String {
    format!(
        " \n        Kea source configure results:\n     -=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-\n \n Package:\n   \
         Name:              kea\n   Version:           {VERSION}\n   Extended version:  {VERSION} (tarball)\n   \
         Version type:      stable\n   OS Family:         {os}\n \n Daemon:\n   Name:              {daemon}\n \n \
         Build:\n   Language:          Rust (edition 2024)\n   Target arch:       {arch}\n   Profile:           {profile}\n",
        os = std::env::consts::OS,
        arch = std::env::consts::ARCH,
        profile = if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts() {
        assert_eq!(VERSION, "2.2.0");
        assert!(default_extended_version().starts_with("2.2.0\ntarball\n"));
        assert!(build_report("kea-dhcp4").contains("Version:           2.2.0"));
    }
}
