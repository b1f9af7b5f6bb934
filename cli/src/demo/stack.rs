//! The child processes of the demo (Envoy, workerd): started on loopback
//! ports, awaited until they answer, and always stopped — at the end, on an
//! error, and on Ctrl-C.

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::prepare::Tools;
use super::AUDIENCE;
use crate::issuer::Issuer;

type Children = Arc<Mutex<Vec<(String, Child)>>>;

/// The running child processes.
pub struct Stack {
    children: Children,
}

impl Stack {
    pub fn new() -> Self {
        Stack {
            children: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// On Ctrl-C: stop every child, then exit 130.
    pub fn watch_ctrl_c(&self, runtime: &tokio::runtime::Runtime) {
        let children = self.children.clone();
        runtime.spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                stop_all(&children);
                std::process::exit(130);
            }
        });
    }

    /// Envoy with the example configuration (envoy/envoy.yaml), its ports,
    /// issuer and filter path rewritten for this run.
    pub fn start_envoy(
        &mut self,
        root: &Path,
        tools: &Tools,
        issuer: &Issuer,
        api: SocketAddr,
    ) -> Result<String, String> {
        let template = std::fs::read_to_string(root.join("envoy/envoy.yaml"))
            .map_err(|err| format!("cannot read envoy/envoy.yaml: {err}"))?;
        let listen = free_port()?;
        let admin = free_port()?;
        let issuer_port = issuer.issuer.rsplit(':').next().unwrap_or("0");
        let config = template
            .replace("port_value: 8080", &format!("port_value: {listen}"))
            .replace("port_value: 9901", &format!("port_value: {admin}"))
            .replace("port_value: 8081", &format!("port_value: {}", api.port()))
            .replace("port_value: 9000", &format!("port_value: {issuer_port}"))
            .replace("https://issuer.jwtgate.test", &issuer.issuer)
            .replace(
                "filename: target/envoy/jwtgate_envoy.wasm",
                &format!("filename: {}", tools.filter.display()),
            );
        let dir = root.join("target/demo");
        std::fs::create_dir_all(&dir).map_err(|err| err.to_string())?;
        let path = dir.join("envoy.yaml");
        std::fs::write(&path, config)
            .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
        let log = dir.join("envoy.log");
        let mut command = Command::new(&tools.envoy);
        command
            .args(["-c"])
            .arg(&path)
            .args(["--concurrency", "2", "--log-path"])
            .arg(&log);
        command
            .args(["--base-id", &listen.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        self.spawn("envoy", command)?;
        let url = format!("http://127.0.0.1:{listen}");
        wait_ready(&format!("{url}/health"), "envoy", &log)?;
        Ok(url)
    }

    /// workerd serving the example edge worker (js/examples/worker), with the
    /// sample API as its upstream.
    pub fn start_workerd(
        &mut self,
        root: &Path,
        tools: &Tools,
        issuer: &Issuer,
        api: SocketAddr,
    ) -> Result<String, String> {
        let port = free_port()?;
        let dir = root.join("target/demo/workerd");
        std::fs::create_dir_all(&dir).map_err(|err| err.to_string())?;
        let config = dir.join("config.capnp");
        let status = Command::new("node")
            .arg(root.join("js/examples/worker/make-config.js"))
            .args(["--port", &port.to_string()])
            .args([
                "--jwks",
                &format!("{}/.well-known/jwks.json", issuer.issuer),
            ])
            .args(["--issuer", &issuer.issuer, "--audience", AUDIENCE])
            .args(["--upstream", &format!("http://{api}")])
            .arg("--out")
            .arg(&config)
            .status()
            .map_err(|err| format!("cannot run node: {err}"))?;
        if !status.success() {
            return Err(String::from("js/examples/worker/make-config.js failed"));
        }
        let log = dir.join("workerd.log");
        let log_file = std::fs::File::create(&log).map_err(|err| err.to_string())?;
        let log_err = log_file.try_clone().map_err(|err| err.to_string())?;
        let mut command = Command::new(&tools.workerd);
        command
            .arg("serve")
            .arg(&config)
            .stdout(log_file)
            .stderr(log_err);
        self.spawn("workerd", command)?;
        let url = format!("http://127.0.0.1:{port}");
        wait_ready(&format!("{url}/health"), "workerd", &log)?;
        Ok(url)
    }

    fn spawn(&mut self, name: &str, mut command: Command) -> Result<(), String> {
        command.stdin(Stdio::null());
        let child = command
            .spawn()
            .map_err(|err| format!("cannot start {name}: {err}"))?;
        self.children
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((name.to_owned(), child));
        Ok(())
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        stop_all(&self.children);
    }
}

fn stop_all(children: &Children) {
    let mut children = children.lock().unwrap_or_else(PoisonError::into_inner);
    for (_, child) in children.iter_mut() {
        let _ = child.kill();
        let _ = child.wait();
    }
    children.clear();
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|err| format!("no free loopback port: {err}"))
}

fn wait_ready(url: &str, name: &str, log: &Path) -> Result<(), String> {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(2)))
        .build()
        .new_agent();
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if agent
            .get(url)
            .call()
            .is_ok_and(|response| response.status() == 200)
        {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(format!(
        "{name} did not answer {url} within 30 s; see {}",
        log.display()
    ))
}
