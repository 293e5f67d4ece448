//! N9 · which channel reaches a recipient, from their preferences and consent
//! (PIPL, rules §6): a resident's number gets an SMS unless they opted out or
//! turned SMS off; a resident without a number, through the app bridge
//! (webhook); staff and providers through the channel they chose (email or
//! SMS), else the webhook. A message the server has no channel for waits
//! (held) rather than failing, so configuring the channel later delivers it.

use crate::Msg;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Sms,
    Email,
    Webhook,
}

impl Channel {
    pub fn word(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
            Channel::Webhook => "webhook",
        }
    }
    pub fn name(self) -> Msg {
        match self {
            Channel::Sms => Msg::new("短信", "SMS"),
            Channel::Email => Msg::new("电子邮件", "email"),
            Channel::Webhook => Msg::new("应用推送", "app (webhook)"),
        }
    }
}

/// What the outbox row asks for.
#[derive(Debug, Clone, Copy)]
pub struct Ask<'a> {
    /// resident | provider | staff | org
    pub recipient_kind: &'a str,
    /// A phone number, `provider:<id>`, `org:<id>`, `community:<code>`, `supervisor:<queue>`.
    pub recipient: &'a str,
    /// sms | app: what the action asked for.
    pub channel: &'a str,
}

/// A recipient's recorded preferences (none recorded: the defaults).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prefs {
    pub opted_out: bool,
    /// SMS allowed (a resident may keep the app and refuse SMS).
    pub sms: bool,
    /// Staff and providers: the chosen channel.
    pub prefer: Option<Channel>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// Which channels this server can use.
#[derive(Debug, Clone, Copy, Default)]
pub struct Available {
    pub sms: bool,
    pub email: bool,
    pub webhook: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Send {
        channel: Channel,
        to: String,
    },
    /// Never sent (opted out, no address): the reason.
    Skip(Msg),
    /// Not sendable by this server yet (channel not configured).
    Hold(Msg),
}

fn is_phone(s: &str) -> bool {
    s.len() >= 7 && s.len() <= 15 && s.chars().all(|c| c.is_ascii_digit() || c == '-' || c == '+')
}

fn available(ch: Channel, to: String, av: Available) -> Route {
    let ok = match ch {
        Channel::Sms => av.sms,
        Channel::Email => av.email,
        Channel::Webhook => av.webhook,
    };
    if ok {
        Route::Send { channel: ch, to }
    } else {
        let n = ch.name();
        Route::Hold(Msg::new(
            format!("{}通道未配置，等待中", n.zh),
            format!("the {} channel is not configured; waiting", n.en),
        ))
    }
}

/// N9: the route of one message.
pub fn route(ask: Ask<'_>, prefs: Option<&Prefs>, av: Available) -> Route {
    if prefs.is_some_and(|p| p.opted_out) {
        return Route::Skip(Msg::new("收件人已退订通知，不发送", "the recipient opted out; not sent"));
    }
    if ask.recipient_kind == "resident" {
        if ask.channel == "sms" && is_phone(ask.recipient) {
            if prefs.is_some_and(|p| !p.sms) {
                return Route::Skip(Msg::new("居民已关闭短信通知，不发送", "the resident turned SMS off; not sent"));
            }
            return available(Channel::Sms, ask.recipient.to_string(), av);
        }
        return available(Channel::Webhook, ask.recipient.to_string(), av);
    }
    match prefs.and_then(|p| p.prefer.map(|c| (c, p))) {
        Some((Channel::Email, p)) => match p.email.as_deref().filter(|e| e.contains('@')) {
            Some(e) => available(Channel::Email, e.to_string(), av),
            None => Route::Skip(Msg::new("选择了电子邮件但没有邮箱地址", "email chosen but no address recorded")),
        },
        Some((Channel::Sms, p)) => match p.phone.as_deref().filter(|s| is_phone(s)) {
            Some(n) => available(Channel::Sms, n.to_string(), av),
            None => Route::Skip(Msg::new("选择了短信但没有手机号码", "SMS chosen but no number recorded")),
        },
        _ => available(Channel::Webhook, ask.recipient.to_string(), av),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: Available = Available { sms: true, email: true, webhook: true };

    fn resident(phone: &str) -> Ask<'_> {
        Ask { recipient_kind: "resident", recipient: phone, channel: "sms" }
    }

    #[test]
    fn rule_6_n9_a_residents_number_gets_an_sms_unless_opted_out() {
        assert_eq!(
            route(resident("13800000000"), None, ALL),
            Route::Send { channel: Channel::Sms, to: "13800000000".into() }
        );
        let out = Prefs { opted_out: true, sms: true, ..Prefs::default() };
        assert!(matches!(route(resident("13800000000"), Some(&out), ALL), Route::Skip(_)));
        let no_sms = Prefs { sms: false, ..Prefs::default() };
        assert!(matches!(route(resident("13800000000"), Some(&no_sms), ALL), Route::Skip(_)));
    }

    #[test]
    fn rule_n9_staff_get_the_channel_they_chose() {
        let staff = Ask { recipient_kind: "staff", recipient: "community:340705402", channel: "app" };
        let email = Prefs {
            prefer: Some(Channel::Email),
            email: Some("desk@example.cn".into()),
            sms: true,
            ..Prefs::default()
        };
        assert_eq!(
            route(staff, Some(&email), ALL),
            Route::Send { channel: Channel::Email, to: "desk@example.cn".into() }
        );
        let sms =
            Prefs { prefer: Some(Channel::Sms), phone: Some("13900000000".into()), sms: true, ..Prefs::default() };
        assert_eq!(route(staff, Some(&sms), ALL), Route::Send { channel: Channel::Sms, to: "13900000000".into() });
        assert!(matches!(route(staff, None, ALL), Route::Send { channel: Channel::Webhook, .. }));
        let no_address = Prefs { prefer: Some(Channel::Email), ..Prefs::default() };
        assert!(matches!(route(staff, Some(&no_address), ALL), Route::Skip(_)));
    }

    #[test]
    fn rule_n9_an_unconfigured_channel_holds_the_message() {
        let none = Available::default();
        assert!(matches!(route(resident("13800000000"), None, none), Route::Hold(_)));
        let app = Ask { recipient_kind: "resident", recipient: "", channel: "app" };
        assert!(matches!(
            route(app, None, Available { webhook: true, ..none }),
            Route::Send { channel: Channel::Webhook, .. }
        ));
    }
}
