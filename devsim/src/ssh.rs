//! SSH server (russh): password, keyboard-interactive and public-key authentication, an
//! interactive PTY shell and an exec channel, both running the device's CLI.

use std::borrow::Cow;
use std::io;
use std::sync::Arc;

use russh::server::{
    Auth, ChannelOpenHandle, Handle, Handler, Msg, PublicKeyOffer, Response, Session,
    VerifiedPublicKey,
};
use russh::{Channel, ChannelId, ChannelMsg, ChannelWriteHalf, Disconnect};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};

use crate::cli::engine::Cli;
use crate::device::DeviceState;
use crate::listener::wait_shutdown;
use crate::terminal::{Sink, Stop, Terminal};

/// Serves one SSH connection until it ends or the fleet shuts down.
pub(crate) async fn serve(
    dev: Arc<DeviceState>,
    stream: TcpStream,
    mut shutdown: watch::Receiver<bool>,
) {
    let _connection = dev.connection();
    let handler = SshHandler {
        dev: dev.clone(),
        user: String::new(),
    };
    let Ok(session) = russh::server::run_stream(dev.ssh_config(), stream, handler).await else {
        return;
    };
    let handle = session.handle();
    tokio::select! {
        _ = session => {}
        () = wait_shutdown(&mut shutdown) => {
            let _ = handle.disconnect(Disconnect::ByApplication, "shutting down".into(), String::new()).await;
        }
    }
}

/// The keyboard-interactive challenge.
static PASSWORD_PROMPT: [(Cow<'static, str>, bool); 1] = [(Cow::Borrowed("Password: "), false)];

/// One connection's russh handler.
struct SshHandler {
    dev: Arc<DeviceState>,
    /// The authenticated user.
    user: String,
}

impl SshHandler {
    fn decide(&mut self, user: &str, ok: bool) -> Auth {
        if ok {
            self.user = user.to_string();
            Auth::Accept
        } else {
            Auth::reject()
        }
    }
}

impl Handler for SshHandler {
    type Error = russh::Error;

    async fn auth_password(&mut self, user: &str, password: &str) -> Result<Auth, Self::Error> {
        let ok = self.dev.check_login(user, password);
        Ok(self.decide(user, ok))
    }

    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        user: &str,
        _submethods: &str,
        response: Option<Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        let Some(mut response) = response else {
            return Ok(Auth::Partial {
                name: Cow::Borrowed(""),
                instructions: Cow::Borrowed(""),
                prompts: Cow::Borrowed(&PASSWORD_PROMPT[..]),
            });
        };
        let answer = response
            .next()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        let ok = self.dev.check_login(user, &answer);
        Ok(self.decide(user, ok))
    }

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(if self.dev.knows_key(offer.public_key) {
            Auth::Accept
        } else {
            Auth::reject()
        })
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        let ok = self.dev.check_key(user, key.public_key);
        Ok(self.decide(user, ok))
    }

    async fn authentication_banner(&mut self) -> Result<Option<String>, Self::Error> {
        let banner = self.dev.spec.banner;
        Ok((!banner.is_empty()).then(|| banner.replace('\n', "\r\n")))
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        reply.accept().await;
        tokio::spawn(run_channel(
            self.dev.clone(),
            self.user.clone(),
            channel,
            session.handle(),
        ));
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        _cols: u32,
        _rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)
    }
}

/// Output to an SSH channel (flow-controlled by the channel window).
struct SshSink(ChannelWriteHalf<Msg>);

impl Sink for SshSink {
    async fn send(&mut self, data: Vec<u8>) -> io::Result<()> {
        self.0.data_bytes(data).await.map_err(io::Error::other)
    }
}

/// A session channel: waits for a shell or exec request, then runs the CLI on it.
async fn run_channel(dev: Arc<DeviceState>, user: String, channel: Channel<Msg>, handle: Handle) {
    let (mut read, write) = channel.split();
    let mut pty = false;
    let exec = loop {
        match read.wait().await {
            Some(ChannelMsg::RequestPty { .. }) => pty = true,
            Some(ChannelMsg::RequestShell { .. }) => break None,
            Some(ChannelMsg::Exec { command, .. }) => {
                break Some(String::from_utf8_lossy(&command).into_owned());
            }
            Some(ChannelMsg::Eof | ChannelMsg::Close) | None => return,
            Some(_) => {}
        }
    };
    let (tx, rx) = mpsc::unbounded_channel();
    let reader = async move {
        while let Some(msg) = read.wait().await {
            match msg {
                ChannelMsg::Data { data } if tx.send(data.to_vec()).is_ok() => {}
                ChannelMsg::Data { .. } | ChannelMsg::Eof | ChannelMsg::Close => break,
                _ => {}
            }
        }
        drop(tx);
        std::future::pending::<()>().await;
    };
    let term = Terminal::new(SshSink(write), rx, pty);
    let session = async move {
        match exec {
            None => {
                let mut cli = Cli::new(dev, term, user, true);
                (cli.run_shell().await, 0, cli.into_terminal())
            }
            Some(command) => {
                let mut cli = Cli::new(dev, term, user, false);
                let (stop, status) = cli.run_exec(&command).await;
                (stop, status, cli.into_terminal())
            }
        }
    };
    let (stop, status, term) = tokio::select! {
        ended = session => ended,
        () = reader => return,
    };
    if stop == Stop::Disconnect {
        let _ = handle
            .disconnect(Disconnect::ByApplication, String::new(), String::new())
            .await;
        return;
    }
    let SshSink(write) = term.into_sink();
    let _ = write.exit_status(status).await;
    let _ = write.eof().await;
    let _ = write.close().await;
}
