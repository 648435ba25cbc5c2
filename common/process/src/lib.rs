//! kea-process: placeholder until its first module lands.
