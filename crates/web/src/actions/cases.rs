//! Actions: cases.
