//! kea-config: Kea's JSON configuration dialect and the typed configuration models.
//!
//! - [`json`]: the dialect reader (comments, includes, positions) and Kea's pretty printer.
//!
//! Implements `shared/spec/kea-arm/config.rst`.

pub mod json;
