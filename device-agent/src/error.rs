//! One `DeviceError` taxonomy for every protocol, which says what is worth retrying.

use thiserror::Error;

/// Everything that can go wrong talking to a device (the seed's unified `DeviceError`).
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum DeviceError {
    /// The device refused the credentials.
    #[error("authentication failed: {0}")]
    Authentication(String),
    /// The device did not answer in time.
    #[error("timed out after {secs} s: {what}")]
    Timeout {
        /// What was being waited for.
        what: String,
        /// The timeout.
        secs: u64,
    },
    /// No connection could be made (refused, no route, DNS).
    #[error("unreachable: {0}")]
    Unreachable(String),
    /// The device's host key differs from the pinned one.
    #[error("host key mismatch: expected {expected}, presented {presented}")]
    HostKey {
        /// The pinned fingerprint.
        expected: String,
        /// The fingerprint presented.
        presented: String,
    },
    /// The expected prompt never appeared.
    #[error("prompt not found: {0}")]
    PromptNotFound(String),
    /// The device answered a command with an error indicator.
    #[error("command rejected: `{command}`: {output}")]
    CommandRejected {
        /// The command sent.
        command: String,
        /// The device's error output.
        output: String,
    },
    /// The protocol broke (bad negotiation, unexpected disconnect, garbage).
    #[error("protocol error: {0}")]
    Protocol(String),
    /// The dispatched device is not (or no longer) in the inventory the agent folded.
    #[error("device {0} is not registered")]
    UnknownDevice(String),
    /// The device's circuit breaker is open; no attempt was made.
    #[error("circuit open for this device until {until}")]
    CircuitOpen {
        /// When the breaker half-opens (RFC 3339).
        until: String,
    },
}

impl DeviceError {
    /// A stable code, as recorded in job error events.
    pub fn code(&self) -> &'static str {
        match self {
            DeviceError::Authentication(_) => "AUTHENTICATION",
            DeviceError::Timeout { .. } => "TIMEOUT",
            DeviceError::Unreachable(_) => "UNREACHABLE",
            DeviceError::HostKey { .. } => "HOST_KEY",
            DeviceError::PromptNotFound(_) => "PROMPT_NOT_FOUND",
            DeviceError::CommandRejected { .. } => "COMMAND_REJECTED",
            DeviceError::Protocol(_) => "PROTOCOL",
            DeviceError::UnknownDevice(_) => "UNKNOWN_DEVICE",
            DeviceError::CircuitOpen { .. } => "CIRCUIT_OPEN",
        }
    }

    /// Whether another attempt may succeed. Authentication is not retried with the same
    /// credential (the agent moves to the next one instead); a host key mismatch or a rejected
    /// command will not change by retrying; an open circuit is retried after it half-opens.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            DeviceError::Timeout { .. } | DeviceError::Unreachable(_) | DeviceError::Protocol(_) | DeviceError::PromptNotFound(_)
        )
    }

    /// Whether the failure counts against the device's circuit breaker (the device, not our
    /// input, misbehaved).
    pub fn trips_breaker(&self) -> bool {
        self.is_retryable()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_transient_failures_are_retryable() {
        let retryable = [
            DeviceError::Timeout { what: "prompt".into(), secs: 30 },
            DeviceError::Unreachable("connection refused".into()),
            DeviceError::Protocol("eof".into()),
            DeviceError::PromptNotFound("#".into()),
        ];
        let final_ = [
            DeviceError::Authentication("denied".into()),
            DeviceError::HostKey { expected: "a".into(), presented: "b".into() },
            DeviceError::CommandRejected { command: "shwo run".into(), output: "% Invalid input".into() },
            DeviceError::CircuitOpen { until: "2026-01-01T00:00:00Z".into() },
            DeviceError::UnknownDevice("7".into()),
        ];
        assert!(retryable.iter().all(DeviceError::is_retryable));
        assert!(!final_.iter().any(DeviceError::is_retryable));
        let codes: std::collections::HashSet<_> = retryable.iter().chain(&final_).map(DeviceError::code).collect();
        assert_eq!(codes.len(), 9, "every kind has its own code");
    }
}
