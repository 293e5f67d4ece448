//! A log-in for every role, all with [`DEMO_PASSWORD`].

use super::DEMO_PASSWORD;
use anyhow::{Result, anyhow};
use store::Db;
use store::users::{NewUser, Role};

/// (username, display name, role, community) — every role has a log-in.
pub const DEMO_USERS: &[(&str, &str, Role, &str)] = &[
    ("frontdesk", "王芳（天井湖前台）", Role::FrontDesk, "340705402"),
    ("backoffice", "李强（天井湖后台）", Role::BackOffice, "340705402"),
    ("admin", "陈静（天井湖社区管理员）", Role::CommunityAdmin, "340705402"),
    ("frontdesk_yh", "赵敏（映湖前台）", Role::FrontDesk, "340705403"),
    ("admin_yh", "孙伟（映湖社区管理员）", Role::CommunityAdmin, "340705403"),
    ("district", "周涛（铜官区民政局）", Role::DistrictDepartment, "340705"),
    ("finance", "钱敏（铜官区财政局）", Role::DistrictDepartment, "340705"),
    ("civil", "吴霞（市民政局）", Role::CityCivilAffairs, ""),
    ("auditor", "郑刚（审计）", Role::Auditor, ""),
    ("org", "天井湖社区社会组织联合会", Role::Organisation, "340705402"),
    ("provider", "2881890家政服务队", Role::Provider, "340705402"),
    ("resident", "刘洋（居民）", Role::Resident, "340705402"),
    ("sysadmin", "系统管理员", Role::SystemAdmin, ""),
    ("unit", "张丽（天井湖小学联络员，示例）", Role::UnitLiaison, "340705402"),
    ("zuzhi", "何军（铜官区委组织部，示例）", Role::DistrictDepartment, "340705"),
];

/// The department each department log-in is (only the finance bureau allocates and approves money).
pub const DEMO_DEPARTMENTS: &[(&str, &str)] =
    &[("district", "铜官区民政局"), ("finance", "铜官区财政局"), ("zuzhi", "铜官区委组织部")];

/// Adds the log-ins of [`DEMO_USERS`].
pub(super) async fn load(db: &Db) -> Result<()> {
    for (u, name, role, scope) in DEMO_USERS {
        let (community, district) = match role.scope_level() {
            store::users::ScopeLevel::Community => (Some(*scope), None),
            store::users::ScopeLevel::District => (None, Some(*scope)),
            store::users::ScopeLevel::City => (None, None),
        };
        store::users::add(
            db,
            "demo",
            NewUser {
                username: u,
                display_name: name,
                password: DEMO_PASSWORD,
                role: *role,
                community_code: community,
                district_code: district,
                department: DEMO_DEPARTMENTS.iter().find(|(n, _)| n == u).map(|(_, d)| *d),
            },
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;
    }
    Ok(())
}
