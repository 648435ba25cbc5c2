//! kea-net: placeholder until its first module lands.
