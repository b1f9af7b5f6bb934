//! The root context: VM start (crypto self-test), configuration, the tick
//! that refreshes key sets and settles paused requests, and key-set
//! responses.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use proxy_wasm::hostcalls;
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{BufferType, ContextType, LogLevel};

use crate::authenticator::filter::{settle_waiters, Authenticator, SharedGate};
use crate::authenticator::gate::{log, now_ms, Gate};
use crate::config;
use crate::host_crypto::HostCrypto;

/// How often the root context polls shared key-set state and paused requests.
pub const TICK: Duration = Duration::from_millis(100);

/// The root context of one VM (one per Envoy worker thread).
pub struct Root {
    context_id: u32,
    gate: SharedGate,
    crypto: HostCrypto,
}

impl Root {
    /// A root context before configuration.
    pub fn new(context_id: u32) -> Self {
        Root {
            context_id,
            gate: Rc::new(RefCell::new(None)),
            crypto: HostCrypto::rust_only(),
        }
    }
}

fn host_call(name: &str, arguments: &[u8]) -> Option<Vec<u8>> {
    hostcalls::call_foreign_function(name, Some(arguments))
        .ok()
        .flatten()
}

/// FNV-1a, to name the shared data of one configuration.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl Context for Root {
    fn on_http_call_response(
        &mut self,
        token_id: u32,
        _num_headers: usize,
        body_size: usize,
        _num_trailers: usize,
    ) {
        let Ok(mut slot) = self.gate.try_borrow_mut() else {
            return;
        };
        let Some(gate) = slot.as_mut() else {
            return;
        };
        let now = now_ms();
        if gate.on_fetch_response(token_id, body_size, now) {
            settle_waiters(gate, self.context_id, now);
        }
    }
}

impl RootContext for Root {
    fn on_vm_start(&mut self, _vm_configuration_size: usize) -> bool {
        let (crypto, host) = HostCrypto::with_self_test(host_call);
        self.crypto = crypto;
        if host {
            log(
                LogLevel::Info,
                "jwtgate: host verify_signature passed the self-test: RS*/ES* use BoringSSL",
            );
        } else {
            log(
                LogLevel::Warn,
                "jwtgate: host verify_signature failed the self-test: every signature is checked in Rust",
            );
        }
        true
    }

    fn on_configure(&mut self, plugin_configuration_size: usize) -> bool {
        let bytes = hostcalls::get_buffer(
            BufferType::PluginConfiguration,
            0,
            plugin_configuration_size,
        )
        .ok()
        .flatten()
        .unwrap_or_default();
        let settings = match config::parse(&bytes) {
            Ok(settings) => settings,
            Err(err) => {
                log(LogLevel::Error, &format!("jwtgate: invalid {err}"));
                return false;
            }
        };
        let scope = format!("{:016x}", fnv1a(&bytes));
        let crypto = match settings.crypto {
            config::CryptoChoice::Auto => self.crypto,
            config::CryptoChoice::Rust => HostCrypto::rust_only(),
        };
        log(
            LogLevel::Info,
            if crypto.uses_host() {
                "jwtgate: crypto: host verify_signature for RS*/ES*, Rust for the rest"
            } else {
                "jwtgate: crypto: pure Rust for every algorithm but ES* (this build has no pure-Rust ECDSA)"
            },
        );
        let gate = Gate::new(settings, crypto, &scope);
        for provider in &gate.providers {
            if let Some(remote) = &provider.remote {
                remote.init_shared();
            }
        }
        let Ok(mut slot) = self.gate.try_borrow_mut() else {
            return false;
        };
        *slot = Some(gate);
        if hostcalls::set_tick_period(TICK).is_err() {
            log(LogLevel::Error, "jwtgate: cannot set the tick period");
            return false;
        }
        true
    }

    fn on_tick(&mut self) {
        let Ok(mut slot) = self.gate.try_borrow_mut() else {
            return;
        };
        let Some(gate) = slot.as_mut() else {
            return;
        };
        let now = now_ms();
        gate.poll_remotes(now);
        settle_waiters(gate, self.context_id, now);
    }

    fn create_http_context(&self, context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(Authenticator::new(context_id, self.gate.clone())))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}
