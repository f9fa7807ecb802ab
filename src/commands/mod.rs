//! One module per subcommand.

pub mod events;
pub mod schemas;
pub mod serve;
