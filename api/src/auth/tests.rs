//! The role table and the seed's checks, including device scope by tag.

use super::*;

fn who(role: Role, scope: &[&str]) -> Principal {
    Principal { user: "u".into(), role, device_tags: scope.iter().map(|s| s.to_string()).collect() }
}

#[test]
fn only_admins_and_operators_run_jobs_and_only_admins_manage_users_and_credentials() {
    for role in Role::ALL {
        let p = who(role, &[]);
        assert_eq!(p.can_create_job(JobType::Backup), matches!(role, Role::Admin | Role::Operator));
        assert_eq!(p.require(Action::ManageUsers).is_ok(), role == Role::Admin);
        assert_eq!(p.require(Action::ManageCredentials).is_ok(), role == Role::Admin);
        assert!(p.require(Action::Read).is_ok());
        assert_eq!(p.require(Action::ReadLogDetails).is_ok(), role != Role::Viewer);
        assert_eq!(p.require(Action::ReadAudit).is_ok(), matches!(role, Role::Admin | Role::Auditor));
    }
    let err = who(Role::Viewer, &[]).require(Action::RunJobs).unwrap_err();
    assert_eq!(err.code(), "FORBIDDEN");
    assert!(err.to_string().contains("viewer"));
}

#[test]
fn device_scope_limits_devices_and_jobs_by_tag() {
    let scoped = who(Role::Operator, &["site-a"]);
    let a = vec!["site-a".to_string(), "core".to_string()];
    let b = vec!["site-b".to_string()];
    assert!(scoped.can_access_device(&a));
    assert!(!scoped.can_access_device(&b));
    assert!(!scoped.can_access_device(&[]));
    assert!(scoped.can_access_job([a.as_slice()]));
    assert!(!scoped.can_access_job([a.as_slice(), b.as_slice()]));
    assert!(who(Role::Viewer, &[]).can_access_job([b.as_slice()]));
}
