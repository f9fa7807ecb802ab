//! The device-agent service end to end: an embedded event log in a temporary folder, agents
//! following it, the device simulator and a real OpenSSH server on loopback. Each test plays
//! the command side itself (registers devices and credentials, requests and dispatches jobs)
//! and checks what the agents appended.

mod harness;
mod jobs;
mod kafka;
mod openssh;
mod pool;
mod proxy;
mod recovery;
#[allow(dead_code)] // shared with tests/openssh.rs, which uses all of it
#[path = "../support/sshd.rs"]
mod sshd;
