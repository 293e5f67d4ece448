//! N8 · templates per message kind in Chinese and English, editable by the
//! city: `{name}` is replaced by the message's parameter of that name, `{{`
//! and `}}` are literal braces. A template naming a parameter its kind does
//! not have is refused when the city saves it, not when a message is sent.

use crate::Msg;
use std::collections::BTreeMap;

/// The kinds of message and the parameters each offers to its template.
/// `body` is the text the action wrote; `community` the community's name;
/// `case` the case number. Each parameter has a Chinese name too ([`PARAMS`]),
/// so a Chinese template reads as Chinese.
pub const KINDS: &[(&str, &str, &str, &[&str])] = &[
    ("notice", "通知", "Notice", &["body", "community"]),
    ("case_ack", "受理回执", "Case acknowledgement", &["body", "community", "case"]),
    ("case_update", "办理进展", "Case progress", &["body", "community", "case"]),
    ("dispatch", "派单通知", "Dispatch", &["body", "community", "case"]),
    ("escalation", "督办通知", "Escalation", &["body", "community", "case"]),
    ("inspection", "年检提醒", "Inspection reminder", &["body", "community"]),
];

/// Each parameter's English and Chinese names.
pub const PARAMS: &[(&str, &str)] = &[("body", "正文"), ("community", "社区"), ("case", "案件编号")];

/// A parameter's English name, given either name.
pub fn canonical(name: &str) -> &str {
    PARAMS.iter().find(|p| p.1 == name).map(|p| p.0).unwrap_or(name)
}

/// A parameter's name in Chinese.
pub fn chinese(name: &str) -> &str {
    PARAMS.iter().find(|p| p.0 == name).map(|p| p.1).unwrap_or(name)
}

/// The parameters of a kind (None: no such kind).
pub fn params_of(kind: &str) -> Option<&'static [&'static str]> {
    KINDS.iter().find(|k| k.0 == kind).map(|k| k.3)
}

enum Piece<'a> {
    Text(&'a str),
    Param(&'a str),
}

fn parse(t: &str) -> Result<Vec<Piece<'_>>, Msg> {
    let mut out = Vec::new();
    let mut rest = t;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("{{") {
            out.push(Piece::Text("{"));
            rest = r;
        } else if let Some(r) = rest.strip_prefix("}}") {
            out.push(Piece::Text("}"));
            rest = r;
        } else if let Some(r) = rest.strip_prefix('{') {
            let Some(end) = r.find('}') else {
                return Err(Msg::new("模板中的“{”没有对应的“}”", "a '{' in the template is not closed"));
            };
            out.push(Piece::Param(&r[..end]));
            rest = &r[end + 1..];
        } else if rest.starts_with('}') {
            return Err(Msg::new("模板中的“}”没有对应的“{”", "a '}' in the template was not opened"));
        } else {
            let end = rest.find(['{', '}']).unwrap_or(rest.len());
            out.push(Piece::Text(&rest[..end]));
            rest = &rest[end..];
        }
    }
    Ok(out)
}

/// N8: a template the city may save for `kind`: well formed, not empty, and
/// naming only the kind's parameters.
pub fn check(kind: &str, template: &str) -> Result<(), Msg> {
    let Some(allowed) = params_of(kind) else {
        return Err(Msg::new(format!("没有“{kind}”这类通知"), format!("no message kind '{kind}'")));
    };
    if template.trim().is_empty() {
        return Err(Msg::new("模板不能为空", "a template cannot be empty"));
    }
    for p in parse(template)? {
        if let Piece::Param(name) = p
            && !allowed.contains(&canonical(name))
        {
            return Err(Msg::new(
                format!("这类通知没有参数“{name}”，可用：{}", allowed.join("、")),
                format!("this kind has no parameter '{name}'; available: {}", allowed.join(", ")),
            ));
        }
    }
    Ok(())
}

/// N8: the text of a template with its parameters (a missing one is left empty).
pub fn render(template: &str, params: &BTreeMap<String, String>) -> Result<String, Msg> {
    let mut s = String::with_capacity(template.len() + 64);
    for p in parse(template)? {
        match p {
            Piece::Text(t) => s.push_str(t),
            Piece::Param(n) => s.push_str(params.get(canonical(n)).map(String::as_str).unwrap_or("")),
        }
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn rule_n8_a_template_renders_its_parameters_in_either_language() {
        let ps = p(&[("case", "42"), ("deadline", "2026-03-09"), ("body", "x")]);
        assert_eq!(
            render("您的第{case}号诉求已受理，{deadline}前办结。", &ps).unwrap(),
            "您的第42号诉求已受理，2026-03-09前办结。"
        );
        assert_eq!(render("Case {case} due {deadline} {{ok}}", &ps).unwrap(), "Case 42 due 2026-03-09 {ok}");
        assert_eq!(render("{body}{missing}", &ps).unwrap(), "x");
        assert!(check("case_ack", "第{case}号已受理。{body}").is_ok());
        assert!(check("case_ack", "【{社区}】第{案件编号}号已受理。{正文}").is_ok(), "Chinese names");
        assert_eq!(render("第{案件编号}号", &ps).unwrap(), "第42号");
        assert!(check("case_ack", "{deadline}").is_err());
    }

    #[test]
    fn rule_n8_a_bad_template_is_refused_with_a_reason() {
        let e = check("notice", "第{case}号").unwrap_err();
        assert!(e.zh.contains("case") && e.en.contains("available"));
        assert!(check("notice", "第{body号").is_err());
        assert!(check("notice", "body}").is_err());
        assert!(check("notice", "  ").is_err());
        assert!(check("no_such_kind", "{body}").is_err());
        assert!(render("{oops", &p(&[])).is_err());
    }
}
