//! Actions: registry.
