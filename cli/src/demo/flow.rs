//! The walk-through: each step of the seed's flow, what was sent, what came
//! back, and whether that is what should happen.

use std::time::Duration;

use base64::Engine as _;
use serde_json::{json, Value};

use super::{Demo, AUDIENCE};

struct Reply {
    status: u16,
    www_authenticate: Option<String>,
    body: Value,
}

struct Walk {
    agent: ureq::Agent,
    failures: Vec<String>,
    step: usize,
}

impl Walk {
    fn heading(&mut self, text: &str) {
        self.step += 1;
        println!("\n{}. {text}", self.step);
    }

    fn request(
        &self,
        method: &str,
        url: &str,
        token: Option<&str>,
        form: Option<(&str, &str)>,
    ) -> Reply {
        let mut request = ureq::http::Request::builder().method(method).uri(url);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let body = match form {
            Some((basic, form)) => {
                request = request
                    .header(
                        "authorization",
                        format!(
                            "Basic {}",
                            base64::engine::general_purpose::STANDARD.encode(basic)
                        ),
                    )
                    .header("content-type", "application/x-www-form-urlencoded");
                form.to_owned()
            }
            None => String::new(),
        };
        let result = request
            .body(body)
            .map_err(|err| err.to_string())
            .and_then(|request| self.agent.run(request).map_err(|err| err.to_string()));
        match result {
            Ok(mut response) => Reply {
                status: response.status().as_u16(),
                www_authenticate: response
                    .headers()
                    .get("www-authenticate")
                    .and_then(|v| v.to_str().ok())
                    .map(String::from),
                body: response.body_mut().read_json().unwrap_or(Value::Null),
            },
            Err(err) => Reply {
                status: 0,
                www_authenticate: None,
                body: json!({"transport_error": err}),
            },
        }
    }

    /// Prints the call and its answer, and records a failure if the status
    /// (and, for errors, the code) is not what the step expects.
    fn check(&mut self, label: &str, reply: &Reply, status: u16, error: Option<&str>) {
        let got_error = reply.body["error"].as_str();
        let ok = reply.status == status && (error.is_none() || got_error == error);
        let mark = if ok { "✔" } else { "✘" };
        println!(
            "   {mark} {label} -> {}{}",
            reply.status,
            got_error.map(|e| format!(" {e}")).unwrap_or_default()
        );
        if let Some(challenge) = &reply.www_authenticate {
            println!("       WWW-Authenticate: {challenge}");
        }
        if !ok {
            self.failures.push(format!(
                "step {}: {label}: expected {status}{}, got {} {}",
                self.step,
                error.map(|e| format!(" {e}")).unwrap_or_default(),
                reply.status,
                reply.body
            ));
        }
    }

    fn token(&mut self, demo: &Demo, client: &str, secret: &str, scope: &str) -> Option<String> {
        let url = format!("{}/oauth/v1/token", demo.issuer.issuer);
        let form = format!(
            "grant_type=client_credentials&scope={}",
            scope.replace(' ', "+")
        );
        let basic = format!("{client}:{secret}");
        println!("   POST {url}  (client {client}, scope \"{scope}\")");
        let reply = self.request("POST", &url, None, Some((&basic, &form)));
        self.check("token request", &reply, 200, None);
        let token = reply.body["access_token"].as_str().map(String::from);
        if let Some(token) = &token {
            println!(
                "     token_type {}, expires_in {}, scope \"{}\"",
                reply.body["token_type"],
                reply.body["expires_in"],
                reply.body["scope"].as_str().unwrap_or("")
            );
            if let Ok(decoded) =
                jwtgate::decode_unverified(token, jwtgate::jws::DEFAULT_MAX_TOKEN_BYTES)
            {
                println!("     header  {}", decoded.header);
                println!("     claims  {}", decoded.payload);
            }
        }
        token
    }
}

/// Walks the flow; `true` when every step behaved as printed.
pub fn walk(demo: &Demo) -> bool {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .new_agent();
    let mut walk = Walk {
        agent,
        failures: Vec::new(),
        step: 0,
    };
    println!(
        "\njwtgate demo: issuer {}, Envoy {}, edge worker {}",
        demo.issuer.issuer, demo.envoy, demo.edge
    );

    walk.heading("The client asks the authorization server for a token (client-credentials grant)");
    let read = walk
        .token(demo, "payments-reader", "reader-secret", "payments:read")
        .unwrap_or_default();

    walk.heading("The client calls the business API with it: GET /payments needs payments:read");
    let reply = walk.request(
        "GET",
        &format!("{}/payments", demo.envoy),
        Some(&read),
        None,
    );
    walk.check("through Envoy (jwtgate filter)", &reply, 200, None);
    if reply.status == 200 {
        println!(
            "       the API saw caller {} (token stripped: {})",
            reply.body["caller"]["client_id"],
            !reply.body["caller"]["authorization_header_seen"]
                .as_bool()
                .unwrap_or(true)
        );
    }
    let reply = walk.request("GET", &format!("{}/payments", demo.edge), Some(&read), None);
    walk.check("through the edge worker (workerd)", &reply, 200, None);

    walk.heading("Writing needs payments:write: the read-only token is refused (RFC 6750 insufficient_scope)");
    let reply = walk.request(
        "POST",
        &format!("{}/payments", demo.envoy),
        Some(&read),
        None,
    );
    walk.check(
        "POST /payments through Envoy",
        &reply,
        403,
        Some("insufficient_scope"),
    );
    let reply = walk.request(
        "POST",
        &format!("{}/payments", demo.edge),
        Some(&read),
        None,
    );
    walk.check(
        "POST /payments through the edge worker",
        &reply,
        403,
        Some("insufficient_scope"),
    );

    walk.heading("A client granted payments:write may write");
    let write = walk
        .token(
            demo,
            "payments-writer",
            "writer-secret",
            "payments:read payments:write",
        )
        .unwrap_or_default();
    let reply = walk.request(
        "POST",
        &format!("{}/payments", demo.envoy),
        Some(&write),
        None,
    );
    walk.check("POST /payments through Envoy", &reply, 201, None);

    walk.heading("A forged token (scope raised to payments:write after signing) is refused");
    let forged = forge(&read);
    let reply = walk.request(
        "POST",
        &format!("{}/payments", demo.envoy),
        Some(&forged),
        None,
    );
    walk.check("through Envoy", &reply, 401, Some("signature_invalid"));
    let reply = walk.request(
        "GET",
        &format!("{}/payments", demo.edge),
        Some(&forged),
        None,
    );
    walk.check(
        "through the edge worker",
        &reply,
        401,
        Some("signature_invalid"),
    );

    walk.heading("An expired token is refused");
    let expired = expired_token(demo);
    let reply = walk.request(
        "GET",
        &format!("{}/payments", demo.envoy),
        Some(&expired),
        None,
    );
    walk.check("through Envoy", &reply, 401, Some("token_expired"));
    let reply = walk.request(
        "GET",
        &format!("{}/payments", demo.edge),
        Some(&expired),
        None,
    );
    walk.check(
        "through the edge worker",
        &reply,
        401,
        Some("token_expired"),
    );

    walk.heading("The issuer rotates its signing key; tokens signed by the new key are accepted");
    match demo.issuer.keys.rotate() {
        Ok(kid) => println!("   new signing key kid {kid} (the old key stays published)"),
        Err(err) => walk.failures.push(format!("rotation failed: {err}")),
    }
    let rotated = walk
        .token(demo, "payments-reader", "reader-secret", "payments:read")
        .unwrap_or_default();
    let reply = walk.request(
        "GET",
        &format!("{}/payments", demo.envoy),
        Some(&rotated),
        None,
    );
    walk.check(
        "new-key token through Envoy (unknown kid -> key set re-fetched)",
        &reply,
        200,
        None,
    );
    let reply = walk.request(
        "GET",
        &format!("{}/payments", demo.edge),
        Some(&rotated),
        None,
    );
    walk.check("new-key token through the edge worker", &reply, 200, None);
    let reply = walk.request(
        "GET",
        &format!("{}/payments", demo.envoy),
        Some(&read),
        None,
    );
    walk.check(
        "old-key token still accepted through Envoy",
        &reply,
        200,
        None,
    );

    if walk.failures.is_empty() {
        println!("\nEvery step behaved as shown.");
        true
    } else {
        println!(
            "\n{} step(s) did not behave as expected:",
            walk.failures.len()
        );
        for failure in &walk.failures {
            println!("  - {failure}");
        }
        false
    }
}

/// The same header and signature over a payload with more scope.
fn forge(token: &str) -> String {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature)) = (parts.next(), parts.next(), parts.next())
    else {
        return String::from("forged");
    };
    let mut claims: Value = jwtgate::base64url::decode(payload.as_bytes())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or(Value::Null);
    claims["scope"] = json!("payments:read payments:write");
    format!(
        "{header}.{}.{signature}",
        jwtgate::base64url::encode(claims.to_string().as_bytes())
    )
}

/// A genuine token from the issuer's key that expired an hour ago.
fn expired_token(demo: &Demo) -> String {
    let now = crate::times::now();
    let claims = json!({
        "iss": demo.issuer.issuer, "aud": AUDIENCE, "sub": "payments-reader", "client_id": "payments-reader",
        "iat": now.saturating_sub(7200), "exp": now.saturating_sub(3600), "scope": "payments:read"
    });
    let mut header = json!({"typ": "at+jwt"});
    demo.issuer
        .keys
        .sign_token(&mut header, &claims)
        .unwrap_or_default()
}

/// `--keep`: where everything is, and a ready curl line.
pub fn print_keep(demo: &Demo) {
    println!("\nThe stack keeps running (Ctrl-C stops it):");
    println!(
        "  issuer:        {}  (token endpoint /oauth/v1/token, JWKS /.well-known/jwks.json)",
        demo.issuer.issuer
    );
    println!("  Envoy:         {}/payments", demo.envoy);
    println!("  edge worker:   {}/payments", demo.edge);
    println!("  inspector:     {}", demo.inspector);
    println!("\n  TOKEN=$(curl -s -u payments-reader:reader-secret -d grant_type=client_credentials -d scope=payments:read {}/oauth/v1/token | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')", demo.issuer.issuer);
    println!(
        "  curl -i -H \"Authorization: Bearer $TOKEN\" {}/payments",
        demo.envoy
    );
}
