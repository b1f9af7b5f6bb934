//! The request path: the per-VM [`gate::Gate`] and the HTTP context
//! ([`filter::Authenticator`]).

pub mod filter;
pub mod gate;
