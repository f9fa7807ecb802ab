//! The server-sent event stream: resuming with `Last-Event-ID` from any position gives every
//! event exactly once across the reconnect, live events included; filters by job and device.

mod common;

use common::Rig;
use netraven_events::catalog::JobId;
use netraven_events::{EventLog, Position};
use netraven_test_support::fixtures::backup_flow;

#[tokio::test]
async fn a_reconnect_with_last_event_id_has_no_gap_and_no_duplicate() {
    let rig = Rig::start().await;
    let total = {
        let head: Position = rig.log.head().await.unwrap();
        head.next_offset(0) - 1
    } as usize;
    let first = rig.sse("/api/v1/events/stream", None, 10).await;
    let resume_at = first.last().unwrap().0.clone();
    assert_eq!(resume_at, "0:11", "the id is the position after the event");

    // Events appended while the client is away, and after it reconnected, all come through.
    let job = JobId::new();
    rig.append("carol", backup_flow(job, rig.core, "hostname core1\n", "hash-9")).await;
    let rest = rig.sse("/api/v1/events/stream", Some(&resume_at), total - 10 + 7).await;
    let all: Vec<String> = first.iter().chain(&rest).map(|(_, _, e)| e["id"].as_str().unwrap().to_string()).collect();
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), all.len(), "no duplicate");
    let ids: Vec<u64> = first.iter().chain(&rest).map(|(id, _, _)| id.parse::<Position>().unwrap().next_offset(0)).collect();
    assert_eq!(ids, (2..=(total as u64 + 8)).collect::<Vec<_>>(), "no gap");
    assert_eq!(rest.last().unwrap().2["data"]["job_id"], job.to_string());

    let for_job = rig.sse(&format!("/api/v1/events/stream?job={job}"), None, 7).await;
    assert!(for_job.iter().all(|(_, _, e)| e["data"]["job_id"] == job.to_string()));
    let for_device = rig.sse(&format!("/api/v1/events/stream?device={}&type=netraven.job.started.v1", rig.edge), None, 1).await;
    assert_eq!(for_device[0].2["data"]["job_id"], rig.edge_job.to_string(), "job events follow their job's device");

    let (status, body) = rig.get("/api/v1/events/stream?from=banana", Some(&rig.admin())).await;
    assert_eq!((status, common::error_code(&body).as_str()), (400, "INVALID_INPUT"));
}
