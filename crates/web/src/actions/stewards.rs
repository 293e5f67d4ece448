//! Actions: stewards.
