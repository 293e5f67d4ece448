//! Funds, allocation (核拨), transfers between a community's funds, closing and reversals.

use super::*;

// ----- funds -----------------------------------------------------------------------

/// A fund of a community, named in requests as `operating`, `service_purchase`,
/// `project:<budget line id>` or `assistance:<task id>`.
#[derive(Debug, Clone)]
pub struct FundSpec {
    pub fund: FundClass,
    pub line: Option<BudgetLine>,
}

fn valid_segment(s: &str) -> bool {
    !s.is_empty() && s.len() <= 40 && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
}

/// The text form of a fund (inverse of [`resolve_fund`]).
pub fn fund_spec(f: &FundClass) -> String {
    match f {
        FundClass::Operating => "operating".into(),
        FundClass::ServicePurchase => "service_purchase".into(),
        FundClass::Assistance { task } => format!("assistance:{task}"),
        FundClass::Project { project } => match project.strip_prefix("BL") {
            Some(id) => format!("project:{id}"),
            None => format!("project:{project}"),
        },
    }
}

pub async fn resolve_fund(db: &Db, field: &str, community: &str, spec: &str) -> Result<FundSpec> {
    let spec = spec.trim();
    let (kind, rest) = spec.split_once([':', '：']).unwrap_or((spec, ""));
    // The codes the API sends, and the names people type on the page.
    let kind = match kind.trim() {
        "公用经费" => "operating",
        "购买服务" => "service_purchase",
        "协助事项" => "assistance",
        "项目" => "project",
        k => k,
    };
    match kind {
        "" | "operating" => Ok(FundSpec { fund: FundClass::Operating, line: None }),
        "service_purchase" => Ok(FundSpec { fund: FundClass::ServicePurchase, line: None }),
        "assistance" if valid_segment(rest.trim()) => {
            Ok(FundSpec { fund: FundClass::assistance(rest.trim()), line: None })
        }
        "assistance" => {
            Err(bad(field, "协助事项编号无效（字母、数字、-、_）", "invalid task id (letters, digits, '-', '_')"))
        }
        "project" => {
            let id: i64 =
                rest.trim().parse().map_err(|_| bad(field, "请选择项目预算科目", "choose a project budget line"))?;
            let line: Option<BudgetLine> =
                sqlx::query_as("SELECT * FROM budget_lines WHERE id = $1").bind(id).fetch_optional(&db.pool).await?;
            match line {
                Some(l) if l.community_code == community => {
                    Ok(FundSpec { fund: FundClass::project(format!("BL{}", l.id)), line: Some(l) })
                }
                _ => Err(bad(field, "本社区没有该项目预算科目", "no such budget line in this community")),
            }
        }
        _ => Err(bad(
            field,
            "资金类别应为公用经费、购买服务、项目或协助事项",
            "fund is operating, service_purchase, project:<line> or assistance:<task>",
        )),
    }
}

fn payer(district: &str) -> Payer {
    Payer { district_code: district.into(), unit: FINANCE_UNIT.into() }
}

// ----- allocation (核拨) -------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewAllocation {
    pub community: String,
    /// `operating` (default), `service_purchase`, `project:<line>`, `assistance:<task>`.
    #[serde(default)]
    pub fund: String,
    /// Yuan.
    pub amount: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub memo: String,
    #[serde(default)]
    pub reference: String,
    /// Idempotency key: the same key posts once.
    #[serde(default)]
    pub key: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Posted {
    pub tx_id: u64,
    /// False when the key was used before and nothing new was posted.
    pub created: bool,
}

/// The district finance bureau funds a community (operating money, service
/// purchase, a project's budget line, or a department's task).
pub async fn allocate(db: &Db, actor: &str, n: NewAllocation) -> Result<Posted> {
    let c = crate::structure::community(db, n.community.trim()).await.map_err(|e| match e {
        StoreError::NotFound => bad("community", "社区不存在", "no such community"),
        e => e,
    })?;
    let amount = parse_yuan("amount", &n.amount)?;
    let date = date_or_today("date", &n.date)?;
    let spec = resolve_fund(db, "fund", &c.code, &n.fund).await?;
    let key = new_key("alloc", &n.key)?;
    let label = spec.fund.label();
    let memo = match n.memo.trim() {
        "" => format!("区财政核拨{}", spec.line.as_ref().map(|l| l.title.clone()).unwrap_or(label.zh)),
        m => m.to_string(),
    };
    let meta =
        Meta { key, date, memo, reference: Some(n.reference.trim()).filter(|r| !r.is_empty()).map(str::to_string) };
    let p = payer(&c.district_code);
    let flow = match &spec.fund {
        FundClass::Operating | FundClass::ServicePurchase => flows::allocation(&flows::Allocation {
            meta,
            payer: p,
            community_code: c.code.clone(),
            amount,
            fund: spec.fund.clone(),
        }),
        FundClass::Assistance { task } => flows::assistance_funding(&flows::AssistanceFunding {
            meta,
            payer: p,
            community_code: c.code.clone(),
            task: task.clone(),
            amount,
        }),
        FundClass::Project { project } => flows::project_budget(&flows::ProjectBudget {
            meta,
            district_code: c.district_code.clone(),
            community_code: c.code.clone(),
            project: project.clone(),
            amount,
            source: ProjectSource::District(p),
        }),
    }
    .map_err(refusal)?;
    let mut w = Writer::begin(db).await?;
    if let Some(line) = &spec.line
        && w.ledger()?.tx_for_key(&flow.tx.key).is_none()
    {
        let income = flows::account_code(flows::standard_charts(&spec.fund).0, &c.code, None, &spec.fund);
        let funded = w.ledger()?.balance(&income).map(|b| -b).unwrap_or(0);
        if funded + amount > line.amount_fen {
            return Err(bad(
                "amount",
                format!("超出项目预算：预算{}元，已拨付{}元", yuan(line.amount_fen), yuan(funded)),
                format!("over the budget line: {} yuan, {} already funded", yuan(line.amount_fen), yuan(funded)),
            ));
        }
    }
    let request = flow.tx.clone();
    let (id, created) = w.post(actor, flow).await?;
    if created {
        audit_write(
            &mut w.tx,
            actor,
            "finance.allocate",
            "fin_transaction",
            id.0 as i64,
            (Some(&c.code), &c.district_code),
            json!(request),
        )
        .await?;
    }
    w.commit().await?;
    Ok(Posted { tx_id: id.0, created })
}

// ----- transfers between a community's funds ------------------------------------------

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewTransfer {
    pub from: String,
    pub to: String,
    /// Yuan.
    pub amount: String,
    #[serde(default)]
    pub memo: String,
    #[serde(default)]
    pub key: String,
}

/// Move money between two funds of a community (e.g. earmark operating money
/// for a project). Restricted money cannot leave its task or project: the
/// engine refuses it.
pub async fn transfer(db: &Db, actor: &str, community: &str, n: NewTransfer) -> Result<Posted> {
    let c = crate::structure::community(db, community).await?;
    let amount = parse_yuan("amount", &n.amount)?;
    let from = resolve_fund(db, "from", &c.code, &n.from).await?;
    let to = resolve_fund(db, "to", &c.code, &n.to).await?;
    if from.fund == to.fund {
        return Err(bad("to", "转出与转入资金相同", "the two funds are the same"));
    }
    let bank = |f: &FundClass| flows::community_account(ledger::chart::codes::BANK, &c.district_code, &c.code, None, f);
    let (a_to, a_from) = (bank(&to.fund), bank(&from.fund));
    let flow = Flow {
        tx: NewTransaction {
            key: new_key("transfer", &n.key)?,
            date: today(),
            memo: match n.memo.trim() {
                "" => format!("资金划转：{} → {}", from.fund.label().zh, to.fund.label().zh),
                m => m.to_string(),
            },
            reference: None,
            reverses: None,
            postings: vec![NewPosting::debit(&a_to.code, amount), NewPosting::credit(&a_from.code, amount)],
        },
        accounts: vec![a_to, a_from],
    };
    let request = flow.tx.clone();
    let mut w = Writer::begin(db).await?;
    let (id, created) = w.post(actor, flow).await?;
    if created {
        audit_write(
            &mut w.tx,
            actor,
            "finance.transfer",
            "fin_transaction",
            id.0 as i64,
            (Some(&c.code), &c.district_code),
            json!(request),
        )
        .await?;
    }
    w.commit().await?;
    Ok(Posted { tx_id: id.0, created })
}

// ----- period closing and reversals ---------------------------------------------------

/// Close a month (`2026-03`) or year (`2026`) of a community's books, or of
/// the district's own books when `community` is `None`.
pub async fn close_period(
    db: &Db,
    actor: &str,
    district: &str,
    community: Option<&str>,
    period: &str,
) -> Result<String> {
    let p =
        parse_period(period).ok_or_else(|| bad("period", "期间格式应为YYYY-MM或YYYY", "period is YYYY-MM or YYYY"))?;
    // L-ENDED: the current month, the current year and the future never close (issue 12, point 11).
    p.check_ended(today()).map_err(|e| StoreError::invalid("period", e.msg()))?;
    if let Some(code) = community {
        let c = crate::structure::community(db, code).await?;
        if c.district_code != district {
            return Err(StoreError::NotFound);
        }
    }
    let entity = Entity { district_code: district.into(), community_code: community.map(str::to_string) };
    let mut w = Writer::begin(db).await?;
    let through = w.close(actor, entity, p).await?;
    audit_write(
        &mut w.tx,
        actor,
        "finance.close",
        "fin_closing",
        0,
        (community, district),
        json!({ "period": p.to_string(), "through": through.to_string() }),
    )
    .await?;
    w.commit().await?;
    Ok(through.to_string())
}

/// Reopen a closed month or year of a community's books (or of the district's
/// own, `community` None), and every later period with it: the city's
/// decision, with its reason, audited (L-REOPEN; issue 12, point 11).
pub async fn reopen_period(
    db: &Db,
    actor: &str,
    district: &str,
    community: Option<&str>,
    period: &str,
    reason: &str,
) -> Result<String> {
    let mut errs = Vec::new();
    let p = parse_period(period);
    if p.is_none() {
        errs.push(("period".to_string(), rules::Msg::new("期间格式应为YYYY-MM或YYYY", "period is YYYY-MM or YYYY")));
    }
    let reason = reason.trim();
    if reason.chars().count() < 4 || reason.chars().count() > 500 {
        errs.push((
            "reason".to_string(),
            rules::Msg::new("请写明重开的理由（4至500字）", "give the reason to reopen (4–500 characters)"),
        ));
    }
    let district = district.trim();
    if district.is_empty() {
        errs.push(("district".to_string(), rules::Msg::new("请选择区", "the district is required")));
    }
    let (Some(p), true) = (p, errs.is_empty()) else {
        return Err(StoreError::Fields(errs));
    };
    if let Some(code) = community {
        let c = crate::structure::community(db, code).await?;
        if c.district_code != district {
            return Err(bad("community", "该社区不属于所选的区", "the community is not in that district"));
        }
    }
    let entity = Entity { district_code: district.into(), community_code: community.map(str::to_string) };
    let mut w = Writer::begin(db).await?;
    let through = w.reopen(actor, entity, p, reason).await?;
    audit_write(
        &mut w.tx,
        actor,
        "finance.reopen",
        "fin_closing",
        0,
        (community, district),
        json!({ "period": p.to_string(), "closed_through": through.to_string(), "reason": reason }),
    )
    .await?;
    w.commit().await?;
    Ok(through.to_string())
}

/// Reverse a transaction exactly (the only correction there is).
pub async fn reverse(db: &Db, actor: &str, tx_id: i64, memo: &str) -> Result<Posted> {
    let mut w = Writer::begin(db).await?;
    let id = TxId(tx_id.max(0) as u64);
    let orig = w.ledger()?.transaction(id).cloned().ok_or(StoreError::NotFound)?;
    let memo = if memo.trim().is_empty() { format!("冲销 {id}") } else { memo.trim().to_string() };
    let date = today().max(orig.date);
    let tx = w.ledger()?.reverse(id, format!("reverse-{}", id.0), date, memo).map_err(refusal)?;
    let (id2, created) = w.post(actor, Flow { accounts: vec![], tx: tx.clone() }).await?;
    let community = orig.postings.iter().find_map(|p| p.community_code.clone());
    let district = orig.postings.first().map(|p| p.district_code.clone()).unwrap_or_default();
    if created {
        audit_write(
            &mut w.tx,
            actor,
            "finance.reverse",
            "fin_transaction",
            id2.0 as i64,
            (community.as_deref(), &district),
            json!(tx),
        )
        .await?;
    }
    w.commit().await?;
    Ok(Posted { tx_id: id2.0, created })
}

/// The district and community codes a transaction touches.
pub async fn transaction_scope(db: &Db, tx_id: i64) -> Result<(Option<String>, String)> {
    sqlx::query_as("SELECT community_code, district_code FROM fin_transactions WHERE id = $1")
        .bind(tx_id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}
