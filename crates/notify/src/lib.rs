//! Delivering notifications, the pure part (issue 19): when to try again
//! ([`retry`]), when a message may go out ([`quiet`], [`bucket`]), what an SMS
//! may say ([`sms`]), how a request is signed ([`sign`]), which channel reaches
//! a recipient given their consent and preferences ([`route`], rules §6) and
//! how a city's template becomes a text ([`template`]). No I/O, no async: the
//! worker in `shequ serve` supplies the clock, the seed and the network.
#![forbid(unsafe_code)]

pub mod bucket;
pub mod quiet;
pub mod retry;
pub mod route;
pub mod sign;
pub mod sms;
pub mod template;

pub use rules::Msg;
