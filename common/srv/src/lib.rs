//! kea-srv: placeholder until its first module lands.
