//! The Telnet login dialogue: banner, user-name and password prompts, failures.

use crate::device::DeviceState;
use crate::terminal::{Sink, Stop, Terminal};

/// Failed logins before the device hangs up.
const ATTEMPTS: usize = 3;

/// Asks for a user name and password until they are right; returns the user. Gives up (and
/// the connection closes) after a few failures.
pub(crate) async fn login<S: Sink>(
    term: &mut Terminal<S>,
    dev: &DeviceState,
) -> Result<String, Stop> {
    let login = &dev.spec.login;
    let host = dev.hostname();
    term.write(dev.spec.banner).await?;
    term.write(&login.intro.replace("{host}", &host)).await?;
    for _ in 0..ATTEMPTS {
        term.write(&login.user_prompt.replace("{host}", &host))
            .await?;
        let user = term.read_line(true).await?;
        term.write("Password: ").await?;
        let password = term.read_line(false).await?;
        if dev.check_login(&user, &password) {
            return Ok(user);
        }
        term.write(login.failure).await?;
    }
    Err(Stop::Closed)
}
