//! Actions: hotline.
