//! kea-stats: placeholder until its first module lands.
