//! Telnet option negotiation (RFC 854/855/857/858): separates data from IAC commands and
//! answers the client's DO/DONT/WILL/WONT without negotiation loops.

/// Interpret As Command.
pub(crate) const IAC: u8 = 255;
const DONT: u8 = 254;
const DO: u8 = 253;
const WONT: u8 = 252;
const WILL: u8 = 251;
const SB: u8 = 250;
const SE: u8 = 240;
/// The echo option: the server echoes.
pub(crate) const ECHO: u8 = 1;
/// Suppress go-ahead.
pub(crate) const SGA: u8 = 3;

/// What the server announces when a client connects.
pub(crate) const GREETING: [u8; 6] = [IAC, WILL, ECHO, IAC, WILL, SGA];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Data,
    Iac,
    Option(u8),
    Sub,
    SubIac,
}

/// The negotiation state of one connection.
pub(crate) struct Negotiator {
    state: State,
    /// Options the server has enabled (it offered ECHO and SGA).
    ours: [bool; 256],
    /// Options the client has enabled.
    theirs: [bool; 256],
}

impl Default for Negotiator {
    fn default() -> Self {
        let mut ours = [false; 256];
        ours[usize::from(ECHO)] = true;
        ours[usize::from(SGA)] = true;
        Negotiator {
            state: State::Data,
            ours,
            theirs: [false; 256],
        }
    }
}

impl Negotiator {
    /// Feeds received bytes: data goes to `data`, answers to `replies`.
    pub(crate) fn feed(&mut self, input: &[u8], data: &mut Vec<u8>, replies: &mut Vec<u8>) {
        for &b in input {
            self.state = match (self.state, b) {
                (State::Data, IAC) => State::Iac,
                (State::Data, _) => {
                    data.push(b);
                    State::Data
                }
                (State::Iac, IAC) => {
                    data.push(IAC);
                    State::Data
                }
                (State::Iac, DO | DONT | WILL | WONT) => State::Option(b),
                (State::Iac, SB) => State::Sub,
                (State::Iac, _) => State::Data,
                (State::Option(verb), option) => {
                    self.answer(verb, option, replies);
                    State::Data
                }
                (State::Sub, IAC) => State::SubIac,
                (State::Sub, _) => State::Sub,
                (State::SubIac, SE) => State::Data,
                (State::SubIac, _) => State::Sub,
            };
        }
    }

    /// Answers one request, only when it changes an option's state (RFC 854's loop rule).
    fn answer(&mut self, verb: u8, option: u8, replies: &mut Vec<u8>) {
        let o = usize::from(option);
        let reply = match verb {
            DO if !self.ours[o] => Some(WONT),
            DONT if self.ours[o] => {
                self.ours[o] = false;
                Some(WONT)
            }
            WILL if option == SGA && !self.theirs[o] => {
                self.theirs[o] = true;
                Some(DO)
            }
            WILL if option != SGA => Some(DONT),
            WONT if self.theirs[o] => {
                self.theirs[o] = false;
                Some(DONT)
            }
            _ => None,
        };
        if let Some(reply) = reply {
            replies.extend_from_slice(&[IAC, reply, option]);
        }
    }
}

/// Doubles IAC bytes in outgoing data.
pub(crate) fn escape(data: Vec<u8>) -> Vec<u8> {
    if !data.contains(&IAC) {
        return data;
    }
    let mut out = Vec::with_capacity(data.len() + 8);
    for b in data {
        out.push(b);
        if b == IAC {
            out.push(IAC);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(n: &mut Negotiator, input: &[u8]) -> (Vec<u8>, Vec<u8>) {
        let (mut data, mut replies) = (Vec::new(), Vec::new());
        n.feed(input, &mut data, &mut replies);
        (data, replies)
    }

    #[test]
    fn answers_requests_once_and_keeps_data() {
        let mut n = Negotiator::default();
        let (data, replies) = feed(
            &mut n,
            &[
                IAC, DO, ECHO, IAC, DO, 24, b'a', IAC, IAC, IAC, WILL, 31, IAC, WILL, SGA,
            ],
        );
        assert_eq!(data, vec![b'a', IAC]);
        assert_eq!(replies, vec![IAC, WONT, 24, IAC, DONT, 31, IAC, DO, SGA]);
        assert_eq!(feed(&mut n, &[IAC, WILL, SGA]).1, Vec::<u8>::new());
        assert_eq!(feed(&mut n, &[IAC, DONT, ECHO]).1, vec![IAC, WONT, ECHO]);
        assert_eq!(feed(&mut n, &[IAC, DONT, ECHO]).1, Vec::<u8>::new());
    }

    #[test]
    fn skips_subnegotiation_split_across_reads() {
        let mut n = Negotiator::default();
        let (data, _) = feed(&mut n, &[b'x', IAC, SB, 31, 0, 80]);
        assert_eq!(data, b"x");
        let (data, _) = feed(&mut n, &[0, 24, IAC, SE, b'y']);
        assert_eq!(data, b"y");
    }

    #[test]
    fn escapes_iac() {
        assert_eq!(escape(vec![1, IAC, 2]), vec![1, IAC, IAC, 2]);
    }
}
