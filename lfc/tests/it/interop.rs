//! Interchangeability: files compacted by ours are inputs for Kea's kea-lfc and the other
//! way round, and the DHCP servers' loader reads them.

use std::collections::BTreeMap;

use kea_lease::load::{LoadReport, load_file};
use kea_lease::{Lease4, Lease6};

use crate::harness::{Family, LeaseDir, fixture, kea, many_updates, ours};

/// Three compactions in a row over fresh copy files, each run by `bins[i]`; the final
/// previous file.
fn chain(family: Family, bins: [&std::path::Path; 3]) -> String {
    let dir = LeaseDir::with_fixture_inputs(family);
    for (round, bin) in bins.into_iter().enumerate() {
        if round > 0 {
            let seed = u64::try_from(round).unwrap_or_default();
            dir.write(&dir.paths.input, &many_updates(family, seed, 40, 200));
        }
        dir.run_ok(bin, family);
        assert_eq!(dir.names(), ["kea-leases.csv.2"]);
    }
    dir.read(&dir.paths.previous)
}

#[test]
fn outputs_are_interchangeable_with_keas() {
    let Some(kea) = kea("outputs_are_interchangeable_with_keas") else {
        return;
    };
    for family in [Family::V4, Family::V6] {
        let all_ours = chain(family, [ours(), ours(), ours()]);
        assert_eq!(chain(family, [kea, ours(), kea]), all_ours, "{family:?}");
        assert_eq!(chain(family, [ours(), kea, ours()]), all_ours, "{family:?}");
        assert_eq!(chain(family, [kea, kea, kea]), all_ours, "{family:?}");
    }
}

/// The previous file kea-lfc leaves is what a server loads at startup: every row reads
/// back, none is a deletion, and re-compacting it changes nothing.
#[test]
fn output_loads_in_the_servers_loader_and_is_a_fixed_point() {
    for family in [Family::V4, Family::V6] {
        let dir = LeaseDir::with_fixture_inputs(family);
        dir.run_ok(ours(), family);
        let output = dir.read(&dir.paths.previous);
        let mut report = LoadReport::default();
        let loaded = match family {
            Family::V4 => {
                let mut leases = BTreeMap::<_, Lease4>::new();
                load_file(&dir.paths.previous, 0, &mut leases, &mut report).expect("load");
                leases.len()
            }
            Family::V6 => {
                let mut leases = BTreeMap::<_, Lease6>::new();
                load_file(&dir.paths.previous, 0, &mut leases, &mut report).expect("load");
                leases.len()
            }
        };
        assert_eq!(report.row_errors, 0);
        assert_eq!(loaded, output.lines().count() - 1);
        assert_eq!(report.rows, loaded);

        dir.run_ok(ours(), family);
        assert_eq!(dir.read(&dir.paths.previous), output);
        assert_eq!(
            output,
            fixture(&format!("{}.kea-output.csv", family.name()))
        );
    }
}
