//! Community social organisations (社区社会组织), their federation (社区社会组织联合会)
//! and government purchase of services (政府购买服务). Source: rules §5 (财政部令第102号,
//! 民发〔2017〕191号 and the provincial texts it cites) and §6c (GB 32100 codes, through
//! [`crate::gb32100`]); the seed text (2014: 铜官山区 bought basic community health
//! services and home elderly care from public-welfare organisations).
//!
//! - [`registry`]: §5.11 tiers, §5.12 filed groups without legal person or code,
//!   §5.13 exclusions, §5.14 credit-code prefixes, §5.15 local thresholds (settings),
//!   §5.16 the federation as a registered 社会团体 of organisations.
//! - [`inspection`]: the annual inspection (年检) lifecycle and its reminders.
//! - [`federation`]: membership and figures rolled up, each organisation counted once.
//! - [`purchase`]: §5.1–§5.9, from catalogue item and budget line to payment.
//!
//! Every rule is a function named after its id, with an accepting and a refusing
//! test of the same name; refusals are [`crate::Msg`] naming the rule. No I/O.

pub mod federation;
pub mod inspection;
pub mod purchase;
pub mod registry;

use crate::Msg;

/// A refusal naming its rule: "（规则5.12）…" / "(rule 5.12) …".
pub(crate) fn refuse(rule: &str, zh: impl AsRef<str>, en: impl AsRef<str>) -> Msg {
    Msg::new(format!("（规则{rule}）{}", zh.as_ref()), format!("(rule {rule}) {}", en.as_ref()))
}
