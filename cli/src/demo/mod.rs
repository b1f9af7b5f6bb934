//! `jwtgate demo`: the seed's four steps on one machine — a token from the
//! dev issuer, calls through Envoy (the jwtgate filter) and through workerd
//! (the example edge worker) to a sample payments API — printed step by step.

mod api;
mod flow;
mod prepare;
mod stack;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::issuer::{Issuer, KeyRing, Registry, SigningAlg};

/// Arguments of `jwtgate demo`.
#[derive(clap::Args)]
pub struct Args {
    /// Leave the stack running after the walk-through (until Ctrl-C) and print
    /// its URLs and a ready curl line.
    #[arg(long)]
    keep: bool,
    /// The jwtgate source checkout (default: the current directory, or the
    /// checkout this binary was built from).
    #[arg(long)]
    root: Option<PathBuf>,
}

/// The audience of the demo's tokens and the API.
pub const AUDIENCE: &str = "payments-api";

/// Where everything of the running demo is.
pub struct Demo {
    /// The in-process issuer (its keys rotate in the walk-through).
    pub issuer: Arc<Issuer>,
    /// Envoy's listener, in front of the API.
    pub envoy: String,
    /// workerd's listener, the edge worker in front of the API.
    pub edge: String,
    /// The token inspector page, served by the API process.
    pub inspector: String,
}

pub fn run(args: &Args) -> Result<u8, String> {
    let root = find_root(args.root.as_deref())?;
    let tools = prepare::all(&root)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|err| format!("cannot start the runtime: {err}"))?;
    let (issuer, api) = runtime.block_on(async {
        let issuer_listener = bind().await?;
        let api_listener = bind().await?;
        let issuer_addr = local(&issuer_listener)?;
        let api_addr = local(&api_listener)?;
        let issuer = Arc::new(Issuer {
            issuer: format!("http://{issuer_addr}"),
            audience: AUDIENCE.to_owned(),
            ttl: 3600,
            registry: Registry::demo(),
            keys: KeyRing::generate(SigningAlg::Rs256)?,
            jwks_max_age: 300,
        });
        tokio::spawn(crate::issuer::serve(issuer_listener, issuer.clone()));
        tokio::spawn(api::serve(api_listener, root.join("js")));
        Ok::<_, String>((issuer, api_addr))
    })?;
    let mut stack = stack::Stack::new();
    stack.watch_ctrl_c(&runtime);
    let envoy = stack.start_envoy(&root, &tools, &issuer, api)?;
    let edge = stack.start_workerd(&root, &tools, &issuer, api)?;
    let demo = Demo {
        issuer,
        envoy,
        edge,
        inspector: format!("http://{api}/js/inspector/index.html"),
    };
    let passed = flow::walk(&demo);
    if args.keep {
        flow::print_keep(&demo);
        runtime.block_on(async {
            let _ = tokio::signal::ctrl_c().await;
        });
    }
    drop(stack);
    Ok(if passed { 0 } else { 1 })
}

async fn bind() -> Result<tokio::net::TcpListener, String> {
    tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|err| format!("cannot listen on loopback: {err}"))
}

fn local(listener: &tokio::net::TcpListener) -> Result<SocketAddr, String> {
    listener.local_addr().map_err(|err| err.to_string())
}

/// The checkout holds envoy/ and js/: the demo builds from them.
fn find_root(given: Option<&Path>) -> Result<PathBuf, String> {
    let looks_right = |dir: &Path| {
        dir.join("envoy/envoy.yaml").is_file() && dir.join("js/package.json").is_file()
    };
    let candidates = [
        given.map(Path::to_path_buf),
        std::env::current_dir().ok(),
        Some(PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|dir| looks_right(dir))
        .ok_or_else(|| String::from("run the demo from a jwtgate checkout (or pass --root): envoy/ and js/ are built from source"))
}
