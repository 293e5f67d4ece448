//! Actions: finance.
