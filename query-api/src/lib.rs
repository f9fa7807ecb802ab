//! NetRaven's query API: serves the read side over HTTP and never writes to the event log.
