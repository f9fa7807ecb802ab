//! One module per subcommand.

pub mod audit;
pub mod component;
pub mod events;
pub mod projector;
pub mod replay;
pub mod schemas;
pub mod serve;
