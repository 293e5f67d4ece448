//! Actions: deliberation.
