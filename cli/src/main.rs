//! `jwtgate`: decode, verify and inspect JWT access tokens and JWK Sets.

mod decode;
mod demo;
mod input;
mod issuer;
mod json;
mod jwks;
mod progress;
mod times;
mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit status for a token that is not valid (`verify`).
const EXIT_INVALID: u8 = 1;
/// Exit status for usage or configuration errors (and malformed tokens in `decode`).
const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "jwtgate",
    version,
    about = "Verify and inspect JWT access tokens"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print a token's header and claims, without verifying it.
    Decode(decode::Args),
    /// Verify a token against a JWK Set, issuer, audience and scopes.
    Verify(verify::Args),
    /// List the keys of a JWK Set, and those skipped and why.
    Jwks(jwks::Args),
    /// Run the seed's flow end to end: issuer, Envoy and an edge worker in front of a sample API.
    Demo(demo::Args),
    /// Run a development OAuth 2.0 authorization server (client credentials).
    Issuer(issuer::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Decode(args) => decode::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Jwks(args) => jwks::run(&args),
        Command::Issuer(args) => issuer::run(&args),
        Command::Demo(args) => demo::run(&args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("jwtgate: {message}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
