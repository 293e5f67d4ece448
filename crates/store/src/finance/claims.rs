//! Reimbursement claims (报账): filing, vouchers, the approval chain, payment.

use super::*;
use crate::Capped;

// ----- claims (报账) ------------------------------------------------------------------

crate::typed::words! {
    /// pending → (head_approved →) paid, or rejected.
    pub enum ClaimStatus, "claim status" {
        Pending => "pending",
        HeadApproved => "head_approved",
        Paid => "paid",
        Rejected => "rejected",
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Claim {
    pub id: i64,
    pub community_code: String,
    pub district_code: String,
    pub payee: String,
    pub amount_fen: i64,
    pub purpose: String,
    pub fund: FundKind,
    pub fund_ref: String,
    pub budget_line_id: Option<i64>,
    pub status: ClaimStatus,
    pub needs_district: i64,
    pub filed_by: i64,
    pub filed_by_name: String,
    pub head_by: Option<i64>,
    pub head_at: Option<String>,
    pub district_by: Option<i64>,
    pub district_at: Option<String>,
    pub rejected_by: Option<i64>,
    pub rejected_at: Option<String>,
    pub reject_reason: String,
    pub tx_id: Option<i64>,
    pub paid_on: Option<String>,
    pub idem_key: Option<String>,
    pub created_at: String,
}

impl Claim {
    pub fn fund_class(&self) -> Result<FundClass> {
        Ok(fund_of(self.fund, &self.fund_ref))
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewClaim {
    pub payee: String,
    /// Yuan.
    pub amount: String,
    pub purpose: String,
    /// `operating` (default), `service_purchase`, `project:<line>`, `assistance:<task>`.
    #[serde(default)]
    pub fund: String,
    #[serde(default)]
    pub key: String,
}

/// A voucher (receipt, invoice scan) attached to a claim.
#[derive(Debug, Clone)]
pub struct Voucher {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

pub const MAX_VOUCHER_BYTES: usize = 10 << 20;

/// The amount above which a claim of this district needs the district's approval.
pub async fn second_approval_fen(db: &Db, district: &str) -> Result<i64> {
    let v: Option<i64> = sqlx::query_scalar("SELECT second_approval_fen FROM fin_settings WHERE district_code = $1")
        .bind(district)
        .fetch_optional(&db.pool)
        .await?;
    Ok(v.unwrap_or(DEFAULT_SECOND_APPROVAL_FEN))
}

pub async fn set_second_approval(db: &Db, actor: &str, district: &str, yuan_text: &str) -> Result<i64> {
    let fen = parse_yuan("second_approval", yuan_text)?;
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM fin_settings WHERE district_code = $1").bind(district).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO fin_settings (district_code, second_approval_fen) VALUES ($1, $2)")
        .bind(district)
        .bind(fen)
        .execute(&mut *tx)
        .await?;
    audit_write(
        &mut tx,
        actor,
        "finance.settings",
        "fin_settings",
        0,
        (None, district),
        json!({ "second_approval_fen": fen }),
    )
    .await?;
    tx.commit().await?;
    Ok(fen)
}

fn reimbursement(c: &Claim, fund: &FundClass, key: String, date: ledger::Date) -> Result<Flow> {
    flows::reimbursement(&flows::Reimbursement {
        meta: Meta {
            key,
            date,
            memo: format!("报账 #{}：{}（{}）", c.id, c.purpose, c.payee),
            reference: Some(format!("claim:{}", c.id)),
        },
        district_code: c.district_code.clone(),
        community_code: c.community_code.clone(),
        fund: fund.clone(),
        payee: c.payee.clone(),
        amount: c.amount_fen,
        settlement: Settlement::Bank,
        expense_chart: None,
    })
    .map_err(refusal)
}

/// The claim filed earlier under idempotency key `key`, if this is the same
/// request again; another request under the key is refused, as a ledger
/// transaction's is (issue 12, point 11).
async fn earlier(conn: &mut sqlx::AnyConnection, key: &str, community: &str, n: &NewClaim) -> Result<Option<Claim>> {
    if key.is_empty() {
        return Ok(None);
    }
    let prior: Option<Claim> =
        sqlx::query_as("SELECT * FROM fin_claims WHERE idem_key = $1").bind(key).fetch_optional(&mut *conn).await?;
    let Some(p) = prior else { return Ok(None) };
    let same = p.community_code == community
        && p.payee == n.payee.trim()
        && p.purpose == n.purpose.trim()
        && parse_yuan("amount", &n.amount).is_ok_and(|a| a == p.amount_fen);
    if same {
        return Ok(Some(p));
    }
    Err(bad(
        "key",
        format!("幂等键“{key}”已用于另一笔内容不同的报账"),
        format!("idempotency key {key:?} was already used for a different claim"),
    ))
}

/// File a claim. Refused at once if the fund could not pay it now.
pub async fn file_claim(
    db: &Db,
    actor: &str,
    user_id: i64,
    filer_name: &str,
    community: &str,
    n: NewClaim,
    voucher: Option<Voucher>,
) -> Result<Claim> {
    let c = crate::structure::community(db, community).await?;
    let key = n.key.trim();
    if let Some(p) = earlier(&mut *db.pool.acquire().await?, key, &c.code, &n).await? {
        return Ok(p);
    }
    if n.payee.trim().is_empty() {
        return Err(bad("payee", "请填写收款方", "the payee is required"));
    }
    let amount = parse_yuan("amount", &n.amount)?;
    if n.purpose.trim().is_empty() {
        return Err(bad("purpose", "请填写用途", "the purpose is required"));
    }
    let spec = resolve_fund(db, "fund", &c.code, &n.fund).await?;
    if let Some(l) = &spec.line
        && l.spent_fen + amount > l.amount_fen
    {
        return Err(bad(
            "amount",
            format!("超出项目预算：预算{}元，已支出{}元", yuan(l.amount_fen), yuan(l.spent_fen)),
            format!("over the budget line: {} yuan, {} spent", yuan(l.amount_fen), yuan(l.spent_fen)),
        ));
    }
    if let Some(v) = &voucher
        && v.bytes.len() > MAX_VOUCHER_BYTES
    {
        return Err(bad("voucher", "凭证文件不能超过10MB", "a voucher may be at most 10 MB"));
    }
    let (fund, fund_ref) = fund_text(&spec.fund);
    let threshold = second_approval_fen(db, &c.district_code).await?;
    let mut probe = Claim {
        id: 0,
        community_code: c.code.clone(),
        district_code: c.district_code.clone(),
        payee: n.payee.trim().into(),
        amount_fen: amount,
        purpose: n.purpose.trim().into(),
        fund,
        fund_ref: fund_ref.clone(),
        budget_line_id: spec.line.as_ref().map(|l| l.id),
        status: ClaimStatus::Pending,
        needs_district: i64::from(amount > threshold),
        filed_by: user_id,
        filed_by_name: filer_name.into(),
        head_by: None,
        head_at: None,
        district_by: None,
        district_at: None,
        rejected_by: None,
        rejected_at: None,
        reject_reason: String::new(),
        tx_id: None,
        paid_on: None,
        idem_key: Some(key.to_string()).filter(|k| !k.is_empty()),
        created_at: clock::now_text(),
    };
    // Would the fund pay this now? (Checked again, under the lock, at payment.)
    let flow = reimbursement(&probe, &spec.fund, "claim-check".into(), today())?;
    read(db, |l| l.check_flow(&flow).map(|_| ())).await?.map_err(refusal)?;
    let mut tx = db.begin().await?;
    // Asked again under the write lock: the same request sent twice at once
    // answers twice with one claim, not once with a refusal (issue 13).
    if let Some(p) = earlier(&mut tx, key, &c.code, &n).await? {
        tx.rollback().await?;
        return Ok(p);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO fin_claims (community_code, district_code, payee, amount_fen, purpose, fund, fund_ref, budget_line_id, status, needs_district, \
         filed_by, filed_by_name, idem_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(&probe.community_code)
    .bind(&probe.district_code)
    .bind(&probe.payee)
    .bind(amount)
    .bind(&probe.purpose)
    .bind(probe.fund.word())
    .bind(&probe.fund_ref)
    .bind(probe.budget_line_id)
    .bind(probe.needs_district)
    .bind(user_id)
    .bind(filer_name)
    .bind(probe.idem_key.clone())
    .bind(&probe.created_at)
    .fetch_one(&mut *tx)
    .await?;
    probe.id = id;
    let mut change = json!(probe);
    if let Some(v) = voucher.filter(|v| !v.bytes.is_empty()) {
        let sha = attach(&mut tx, &probe, &v).await?;
        change["voucher_sha256"] = json!(sha);
    }
    audit_write(&mut tx, actor, "finance.claim.file", "fin_claim", id, (Some(&c.code), &c.district_code), change)
        .await?;
    tx.commit().await?;
    claim(db, id).await
}

/// Store a voucher with its claim: a PDF, JPEG or PNG by its bytes ([`crate::files::sniff`]),
/// whatever type the sender declared.
async fn attach(tx: &mut Tx, c: &Claim, v: &Voucher) -> Result<String> {
    use sha2::{Digest, Sha256};
    let Some(mime) = crate::files::sniff(&v.bytes) else {
        return Err(bad("voucher", "凭证只接受PDF、JPEG或PNG文件", "a voucher must be a PDF, JPEG or PNG file"));
    };
    let sha = hex::encode(Sha256::digest(&v.bytes));
    let name: String = v.filename.chars().filter(|c| !c.is_control() && *c != '/' && *c != '\\').take(120).collect();
    sqlx::query(
        "INSERT INTO fin_vouchers (claim_id, community_code, district_code, filename, content_type, size_bytes, sha256, content, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(c.id)
    .bind(&c.community_code)
    .bind(&c.district_code)
    .bind(if name.is_empty() { "voucher".to_string() } else { name })
    .bind(mime)
    .bind(v.bytes.len() as i64)
    .bind(&sha)
    .bind(v.bytes.clone())
    .bind(clock::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(sha)
}

/// Attach a voucher to a claim that is not settled yet.
pub async fn add_voucher(db: &Db, actor: &str, claim_id: i64, v: Voucher) -> Result<VoucherInfo> {
    let c = claim(db, claim_id).await?;
    if v.bytes.is_empty() {
        return Err(bad("voucher", "请选择凭证文件", "choose a voucher file"));
    }
    if v.bytes.len() > MAX_VOUCHER_BYTES {
        return Err(bad("voucher", "凭证文件不能超过10MB", "a voucher may be at most 10 MB"));
    }
    let mut tx = db.begin().await?;
    let sha = attach(&mut tx, &c, &v).await?;
    audit_write(
        &mut tx,
        actor,
        "finance.claim.voucher",
        "fin_claim",
        c.id,
        (Some(&c.community_code), &c.district_code),
        json!({ "sha256": sha, "bytes": v.bytes.len() }),
    )
    .await?;
    tx.commit().await?;
    vouchers(db, claim_id).await?.into_iter().last().ok_or(StoreError::NotFound)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct VoucherInfo {
    pub id: i64,
    pub claim_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: String,
}

pub async fn vouchers(db: &Db, claim_id: i64) -> Result<Vec<VoucherInfo>> {
    Ok(sqlx::query_as(
        "SELECT id, claim_id, filename, content_type, size_bytes, sha256, created_at FROM fin_vouchers WHERE claim_id = $1 ORDER BY id",
    )
    .bind(claim_id)
    .fetch_all(&db.pool)
    .await?)
}

/// A voucher's content, checked against its stored SHA-256.
pub async fn voucher_content(db: &Db, voucher_id: i64) -> Result<(VoucherInfo, Vec<u8>)> {
    let info: VoucherInfo = sqlx::query_as(
        "SELECT id, claim_id, filename, content_type, size_bytes, sha256, created_at FROM fin_vouchers WHERE id = $1",
    )
    .bind(voucher_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(StoreError::NotFound)?;
    let bytes: Vec<u8> = sqlx::query_scalar("SELECT content FROM fin_vouchers WHERE id = $1")
        .bind(voucher_id)
        .fetch_one(&db.pool)
        .await?;
    use sha2::{Digest, Sha256};
    if hex::encode(Sha256::digest(&bytes)) != info.sha256 {
        return Err(StoreError::Config(format!("voucher {voucher_id} does not match its checksum")));
    }
    Ok((info, bytes))
}

pub async fn claim(db: &Db, id: i64) -> Result<Claim> {
    sqlx::query_as("SELECT * FROM fin_claims WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Claims in scope: those waiting for an approval first, so that the list's
/// cut hides none from its approver unless more than 500 wait; then the rest;
/// newest first in each.
pub async fn claims(db: &Db, community: Option<&str>, district: Option<&str>) -> Result<Capped<Claim>> {
    crate::capped::scoped(
        db,
        "SELECT * FROM fin_claims WHERE (CAST($1 AS TEXT) IS NULL OR community_code = $1) AND (CAST($2 AS TEXT) IS NULL OR district_code = $2) \
         ORDER BY CASE WHEN status IN ('pending', 'head_approved') THEN 0 ELSE 1 END, id DESC",
        500,
        community,
        district,
    )
    .await
}

/// Who approves: the community head (社区负责人) first, then district finance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Head,
    District,
}

impl Stage {
    /// The status a claim awaits this stage's approval in.
    pub fn from(self) -> ClaimStatus {
        match self {
            Stage::Head => ClaimStatus::Pending,
            Stage::District => ClaimStatus::HeadApproved,
        }
    }
}

fn status_error(c: &Claim, stage: Stage) -> StoreError {
    match (c.status, stage) {
        (ClaimStatus::Pending, Stage::District) => {
            bad("status", "须先经社区负责人审批", "the community head must approve first")
        }
        (ClaimStatus::HeadApproved, Stage::Head) => {
            bad("status", "您已审批过该报账", "this claim was already approved at this step")
        }
        (ClaimStatus::Paid, _) => bad("status", "该报账已支付", "this claim is already paid"),
        (ClaimStatus::Rejected, _) => bad("status", "该报账已被退回", "this claim was rejected"),
        _ => bad("status", "该报账已被他人处理，请刷新", "this claim was handled meanwhile; reload"),
    }
}

/// Approve a claim at a stage. The final approval pays it: the reimbursement
/// posts through the engine in the same transaction as the status change.
pub async fn approve(db: &Db, actor: &str, user_id: i64, stage: Stage, claim_id: i64) -> Result<Claim> {
    let c = claim(db, claim_id).await?;
    if c.filed_by == user_id {
        return Err(bad("approver", "不能审批自己提交的报账", "you cannot approve a claim you filed"));
    }
    let from = stage.from();
    if c.status != from {
        return Err(status_error(&c, stage));
    }
    let now = clock::now_text();
    let is_final = stage == Stage::District || c.needs_district == 0;
    let set_who = match stage {
        Stage::Head => "head_by = $1, head_at = $2",
        Stage::District => "district_by = $1, district_at = $2",
    };
    if !is_final {
        let mut tx = db.begin().await?;
        let sql =
            format!("UPDATE fin_claims SET status = 'head_approved', {set_who} WHERE id = $3 AND status = 'pending'");
        let moved =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_id).bind(&now).bind(claim_id).execute(&mut *tx).await?;
        if moved.rows_affected() != 1 {
            return Err(status_error(&claim(db, claim_id).await?, stage));
        }
        audit_write(
            &mut tx,
            actor,
            "finance.claim.approve",
            "fin_claim",
            claim_id,
            (Some(&c.community_code), &c.district_code),
            json!({ "stage": "head", "amount_fen": c.amount_fen }),
        )
        .await?;
        tx.commit().await?;
        return claim(db, claim_id).await;
    }
    let fund = c.fund_class()?;
    let date = today();
    let flow = reimbursement(&c, &fund, format!("claim-{}", c.id), date)?;
    let mut w = Writer::begin(db).await?;
    let (id, _) = w.post(actor, flow).await?;
    let sql = format!(
        "UPDATE fin_claims SET status = 'paid', {set_who}, tx_id = $4, paid_on = $5 WHERE id = $3 AND status = '{}'",
        from.word()
    );
    let moved = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .bind(&now)
        .bind(claim_id)
        .bind(id.0 as i64)
        .bind(date.to_string())
        .execute(&mut *w.tx)
        .await?;
    if moved.rows_affected() != 1 {
        drop(w);
        return Err(status_error(&claim(db, claim_id).await?, stage));
    }
    if let Some(line_id) = c.budget_line_id {
        let spent = sqlx::query(
            "UPDATE budget_lines SET spent_fen = spent_fen + $1 WHERE id = $2 AND spent_fen + $1 <= amount_fen",
        )
        .bind(c.amount_fen)
        .bind(line_id)
        .execute(&mut *w.tx)
        .await?;
        if spent.rows_affected() != 1 {
            return Err(bad("amount", "超出项目预算科目的余额", "over what is left of the budget line"));
        }
        let (source, source_id): (String, i64) =
            sqlx::query_as("SELECT source, source_id FROM budget_lines WHERE id = $1")
                .bind(line_id)
                .fetch_one(&mut *w.tx)
                .await?;
        if source == "pb_project" {
            sqlx::query(
                "INSERT INTO pb_spending (project_id, community_code, district_code, amount_fen, payee, purpose, spent_on, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(source_id)
            .bind(&c.community_code)
            .bind(&c.district_code)
            .bind(c.amount_fen)
            .bind(&c.payee)
            .bind(format!("{}（报账 #{}）", c.purpose, c.id))
            .bind(date.to_string())
            .bind(&now)
            .execute(&mut *w.tx)
            .await?;
        }
    }
    audit_write(
        &mut w.tx,
        actor,
        "finance.claim.pay",
        "fin_claim",
        claim_id,
        (Some(&c.community_code), &c.district_code),
        json!({ "stage": if stage == Stage::Head { "head" } else { "district" }, "tx": id.0, "amount_fen": c.amount_fen }),
    )
    .await?;
    w.commit().await?;
    claim(db, claim_id).await
}

/// Send a claim back with a reason.
pub async fn reject(db: &Db, actor: &str, user_id: i64, stage: Stage, claim_id: i64, reason: &str) -> Result<Claim> {
    let c = claim(db, claim_id).await?;
    if reason.trim().is_empty() {
        return Err(bad("reason", "退回须说明理由", "a rejection needs a reason"));
    }
    let from = stage.from();
    if c.status != from {
        return Err(status_error(&c, stage));
    }
    let mut tx = db.begin().await?;
    let moved = sqlx::query(
        "UPDATE fin_claims SET status = 'rejected', rejected_by = $1, rejected_at = $2, reject_reason = $3 WHERE id = $4 AND status = $5",
    )
    .bind(user_id)
    .bind(clock::now_text())
    .bind(reason.trim())
    .bind(claim_id)
    .bind(from.word())
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Err(status_error(&claim(db, claim_id).await?, stage));
    }
    audit_write(
        &mut tx,
        actor,
        "finance.claim.reject",
        "fin_claim",
        claim_id,
        (Some(&c.community_code), &c.district_code),
        json!({ "reason": reason.trim() }),
    )
    .await?;
    tx.commit().await?;
    claim(db, claim_id).await
}
