//! kea-config: placeholder until its first module lands.
