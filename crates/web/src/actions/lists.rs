//! Actions: lists.
