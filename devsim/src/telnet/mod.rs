//! Telnet server: option negotiation, the platform's login dialogue, then the device's CLI.

mod negotiation;

use std::io;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::{Mutex, mpsc, watch};

use crate::cli::engine::Cli;
use crate::cli::login::login;
use crate::device::DeviceState;
use crate::listener::wait_shutdown;
use crate::terminal::{Sink, Terminal};
use negotiation::{GREETING, Negotiator, escape};

/// The socket's write half, shared by the session and the negotiation answers.
type Writer = Arc<Mutex<OwnedWriteHalf>>;

/// Serves one Telnet connection until it ends or the fleet shuts down.
pub(crate) async fn serve(
    dev: Arc<DeviceState>,
    stream: TcpStream,
    mut shutdown: watch::Receiver<bool>,
) {
    let _connection = dev.connection();
    let _ = stream.set_nodelay(true);
    let (read, write) = stream.into_split();
    let writer: Writer = Arc::new(Mutex::new(write));
    if writer.lock().await.write_all(&GREETING).await.is_err() {
        return;
    }
    let (tx, rx) = mpsc::unbounded_channel();
    let reader = read_loop(read, writer.clone(), tx);
    let session = async {
        let mut term = Terminal::new(TelnetSink(writer.clone()), rx, true);
        if let Ok(user) = login(&mut term, &dev).await {
            Cli::new(dev.clone(), term, user, true).run_shell().await;
        }
    };
    tokio::select! {
        () = session => {}
        () = reader => {}
        () = wait_shutdown(&mut shutdown) => {}
    }
    let _ = writer.lock().await.shutdown().await;
}

/// Reads the socket: data to the session, negotiation answers straight back. Never returns
/// (after the client closes, the session still drains its input).
async fn read_loop(mut read: OwnedReadHalf, writer: Writer, tx: mpsc::UnboundedSender<Vec<u8>>) {
    let mut negotiator = Negotiator::default();
    let mut buf = vec![0u8; 4096];
    loop {
        let n = match read.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let (mut data, mut replies) = (Vec::new(), Vec::new());
        negotiator.feed(&buf[..n], &mut data, &mut replies);
        if !replies.is_empty() && writer.lock().await.write_all(&replies).await.is_err() {
            break;
        }
        if !data.is_empty() && tx.send(data).is_err() {
            break;
        }
    }
    drop(tx);
    std::future::pending::<()>().await;
}

/// Output to a Telnet socket, with IAC bytes doubled.
struct TelnetSink(Writer);

impl Sink for TelnetSink {
    async fn send(&mut self, data: Vec<u8>) -> io::Result<()> {
        self.0.lock().await.write_all(&escape(data)).await
    }
}
