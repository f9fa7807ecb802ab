//! A device's accept loop on one port: serves SSH or Telnet, and carries out the connection
//! refusal faults (close at once, or stop listening and listen again when the fault is lifted).

use std::future::pending;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::device::DeviceState;
use crate::faults::Refusal;
use crate::{ssh, telnet};

/// The protocol a listener serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Protocol {
    /// SSH.
    Ssh,
    /// Telnet.
    Telnet,
}

/// Pause before binding again after a failed bind or accept.
const RETRY: Duration = Duration::from_millis(200);

/// Resolves when the fleet shuts down (or is dropped).
pub(crate) async fn wait_shutdown(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}

async fn accept(listener: Option<&TcpListener>) -> io::Result<(TcpStream, SocketAddr)> {
    match listener {
        Some(listener) => listener.accept().await,
        None => pending().await,
    }
}

/// Accepts connections on `listener` until shutdown.
pub(crate) async fn run(
    dev: Arc<DeviceState>,
    protocol: Protocol,
    listener: TcpListener,
    addr: SocketAddr,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut faults = dev.watch_faults();
    let mut listener = Some(listener);
    loop {
        let refusal = faults.borrow_and_update().refuse;
        if refusal == Refusal::StopListening {
            listener = None;
        } else if listener.is_none() {
            listener = match TcpListener::bind(addr).await {
                Ok(listener) => Some(listener),
                Err(error) => {
                    tracing::warn!(device = dev.id.index, %addr, %error, "cannot listen again; retrying");
                    None
                }
            };
        }
        let retry = listener.is_none() && refusal != Refusal::StopListening;
        tokio::select! {
            // Fault changes first: a connection made after `set_faults` must see the new faults.
            biased;
            () = wait_shutdown(&mut shutdown) => return,
            changed = faults.changed() => if changed.is_err() { return },
            () = tokio::time::sleep(RETRY), if retry => {}
            accepted = accept(listener.as_ref()) => match accepted {
                Ok((stream, _)) if faults.borrow().refuse == Refusal::CloseOnAccept => drop(stream),
                Ok((stream, _)) => {
                    let (dev, shutdown) = (dev.clone(), shutdown.clone());
                    match protocol {
                        Protocol::Ssh => tokio::spawn(ssh::serve(dev, stream, shutdown)),
                        Protocol::Telnet => tokio::spawn(telnet::serve(dev, stream, shutdown)),
                    };
                }
                Err(error) => {
                    tracing::warn!(device = dev.id.index, %addr, %error, "accept failed; retrying");
                    tokio::time::sleep(RETRY).await;
                }
            },
        }
    }
}
