//! kea-lease: placeholder until its first module lands.
