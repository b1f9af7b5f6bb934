//! First-run preparation: build the Envoy filter and the npm package, and
//! install Envoy and workerd when missing — each step behind a spinner, its
//! output kept in a log file that is shown if the step fails.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The programs and artifacts the demo runs.
pub struct Tools {
    /// The `envoy` binary.
    pub envoy: PathBuf,
    /// The `workerd` binary.
    pub workerd: PathBuf,
    /// The jwtgate proxy-wasm filter.
    pub filter: PathBuf,
}

pub fn all(root: &Path) -> Result<Tools, String> {
    let logs = root.join("target/demo-logs");
    std::fs::create_dir_all(&logs)
        .map_err(|err| format!("cannot create {}: {err}", logs.display()))?;
    step(
        root,
        &logs,
        "Envoy filter (jwtgate_envoy.wasm) and Envoy 1.40",
        "envoy/build.sh",
    )?;
    step(
        root,
        &logs,
        "npm package (wasm core, wasm-bindgen) and workerd",
        "js/build.sh",
    )?;
    let envoy = which("envoy").ok_or("envoy is not on PATH after envoy/build.sh")?;
    Ok(Tools {
        envoy,
        workerd: root.join("js/node_modules/.bin/workerd"),
        filter: root.join("target/envoy/jwtgate_envoy.wasm"),
    })
}

fn step(root: &Path, logs: &Path, what: &str, script: &str) -> Result<(), String> {
    let spinner = crate::progress::spinner(format!("preparing {what}"));
    let log_path = logs.join(format!("{}.log", script.replace('/', "-")));
    let log = std::fs::File::create(&log_path)
        .map_err(|err| format!("cannot write {}: {err}", log_path.display()))?;
    let log_err = log.try_clone().map_err(|err| err.to_string())?;
    let status = Command::new("bash")
        .arg(root.join(script))
        .current_dir(root)
        .stdout(log)
        .stderr(log_err)
        .status()
        .map_err(|err| format!("cannot run {script}: {err}"))?;
    spinner.finish_and_clear();
    if status.success() {
        println!("  ready: {what}");
        Ok(())
    } else {
        let tail = std::fs::read_to_string(&log_path).unwrap_or_default();
        let tail: Vec<&str> = tail.lines().rev().take(15).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        Err(format!(
            "{script} failed ({status}); last lines of {}:\n{}",
            log_path.display(),
            tail.join("\n")
        ))
    }
}

fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|candidate| candidate.is_file())
    })
}
