//! jwtgate against `jsonwebtoken` (rust_crypto) and `jwt-simple` (pure-rust)
//! on HS256, RS256, ES256 and EdDSA, plus jwtgate's cached path and the cost
//! of everything but the signature. `scripts/bench-core.sh` runs it and
//! prints the table that goes into BENCHMARKS.md.

use std::collections::HashSet;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use jwt_compact::alg::{Ed25519, Es256, Hs256, Hs256Key, Rsa};
use jwt_compact::{Algorithm as _, AlgorithmSignature};
use jwt_simple::prelude::{
    ECDSAP256PublicKeyLike, ES256PublicKey, Ed25519PublicKey, EdDSAPublicKeyLike,
    HS256Key as SimpleHs256, MACLike, NoCustomClaims, RS256PublicKey, RSAPublicKeyLike,
    VerificationOptions,
};
use jwtgate::base64url::encode;
use jwtgate::{
    Algorithm, CryptoProvider, Jwk, KeySet, Requirements, RustCrypto, Validation, Verifier,
};
use rand_core::OsRng;
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value};

const ISSUER: &str = "https://issuer.jwtgate.test";
const AUDIENCE: &str = "payments-api";

/// The real clock: jsonwebtoken and jwt-simple read it themselves.
fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A provider that accepts every signature: isolates parse + claims + policy.
struct SkipSignature;
impl CryptoProvider for SkipSignature {
    fn verify(&self, _: Algorithm, _: &Jwk, _: &[u8], _: &[u8]) -> bool {
        true
    }
}

struct Fixture {
    alg: Algorithm,
    token: String,
    jwk: Value,
}

fn mint(alg: &str, kid: &str, sign: impl Fn(&[u8]) -> Vec<u8>) -> String {
    let now = now();
    let header = json!({"alg": alg, "typ": "at+jwt", "kid": kid});
    let claims = json!({"iss": ISSUER, "aud": AUDIENCE, "sub": "demo-client", "client_id": "demo-client",
        "iat": now - 60, "exp": now + 3600, "jti": "bench", "scope": "payments:read payments:write"});
    let input = format!(
        "{}.{}",
        encode(header.to_string().as_bytes()),
        encode(claims.to_string().as_bytes())
    );
    let signature = sign(input.as_bytes());
    format!("{input}.{}", encode(&signature))
}

fn fixtures() -> (
    Vec<Fixture>,
    rsa::RsaPublicKey,
    p256::ecdsa::VerifyingKey,
    ed25519_dalek::VerifyingKey,
    Vec<u8>,
) {
    let rsa_key = rsa::RsaPrivateKey::new(&mut OsRng, 2048).expect("keygen");
    let ec_key = p256::ecdsa::SigningKey::random(&mut OsRng);
    let ed_key = ed25519_dalek::SigningKey::generate(&mut OsRng);
    let secret = vec![42u8; 32];
    let point = ec_key.verifying_key().to_encoded_point(false);
    let fixtures = vec![
        Fixture {
            alg: Algorithm::HS256,
            token: mint("HS256", "hs", |m| {
                Hs256.sign(&Hs256Key::new(&secret), m).as_bytes().to_vec()
            }),
            jwk: json!({"kty": "oct", "kid": "hs", "k": encode(&secret)}),
        },
        Fixture {
            alg: Algorithm::RS256,
            token: mint("RS256", "rs", |m| {
                Rsa::rs256().sign(&rsa_key, m).as_bytes().to_vec()
            }),
            jwk: json!({"kty": "RSA", "kid": "rs", "n": encode(&rsa_key.n().to_bytes_be()), "e": encode(&rsa_key.e().to_bytes_be())}),
        },
        Fixture {
            alg: Algorithm::ES256,
            token: mint("ES256", "es", |m| {
                Es256.sign(&ec_key, m).as_bytes().to_vec()
            }),
            jwk: json!({"kty": "EC", "crv": "P-256", "kid": "es", "x": encode(&point.as_bytes()[1..33]), "y": encode(&point.as_bytes()[33..65])}),
        },
        Fixture {
            alg: Algorithm::EdDSA,
            token: mint("EdDSA", "ed", |m| {
                Ed25519.sign(&ed_key, m).as_bytes().to_vec()
            }),
            jwk: json!({"kty": "OKP", "crv": "Ed25519", "kid": "ed", "x": encode(ed_key.verifying_key().as_bytes())}),
        },
    ];
    (
        fixtures,
        rsa_key.to_public_key(),
        *ec_key.verifying_key(),
        ed_key.verifying_key(),
        secret,
    )
}

fn jwtgate_verifier(fixture: &Fixture, cache_entries: usize) -> Verifier {
    let keys =
        KeySet::from_json(json!({"keys": [fixture.jwk]}).to_string().as_bytes()).expect("jwks");
    let mut validation = Validation::default();
    validation.algorithms = Algorithm::ALL.to_vec();
    validation.issuers = vec![ISSUER.into()];
    validation.audiences = vec![AUDIENCE.into()];
    validation.cache_entries = cache_entries;
    Verifier::new(validation, keys)
}

fn bench(c: &mut Criterion) {
    let (fixtures, rsa_pub, ec_pub, ed_pub, secret) = fixtures();
    let requirements = Requirements::scopes(["payments:read"]);
    let now = now();
    let mut group = c.benchmark_group("verify");
    for fixture in &fixtures {
        let alg = fixture.alg.name();
        let token = fixture.token.as_str();

        let mut uncached = jwtgate_verifier(fixture, 0);
        assert!(uncached
            .verify(token, now, &RustCrypto, &requirements)
            .is_ok());
        group.bench_function(BenchmarkId::new("jwtgate", alg), |b| {
            b.iter(|| uncached.verify(token, now, &RustCrypto, &requirements))
        });
        let mut cached = jwtgate_verifier(fixture, 10_000);
        assert!(cached
            .verify(token, now, &RustCrypto, &requirements)
            .is_ok());
        group.bench_function(BenchmarkId::new("jwtgate-cached", alg), |b| {
            b.iter(|| cached.verify(token, now, &RustCrypto, &requirements))
        });
        let mut no_signature = jwtgate_verifier(fixture, 0);
        group.bench_function(BenchmarkId::new("jwtgate-all-but-signature", alg), |b| {
            b.iter(|| no_signature.verify(token, now, &SkipSignature, &requirements))
        });

        let jwk = &fixture.jwk;
        let field = |name: &str| jwk[name].as_str().unwrap_or_default().to_owned();
        let (key, jalg) = match fixture.alg {
            Algorithm::HS256 => (
                jsonwebtoken::DecodingKey::from_secret(&secret).expect("hs"),
                jsonwebtoken::Algorithm::HS256,
            ),
            Algorithm::RS256 => (
                jsonwebtoken::DecodingKey::from_rsa_components(&field("n"), &field("e"))
                    .expect("rsa"),
                jsonwebtoken::Algorithm::RS256,
            ),
            Algorithm::ES256 => (
                jsonwebtoken::DecodingKey::from_ec_components(&field("x"), &field("y"))
                    .expect("ec"),
                jsonwebtoken::Algorithm::ES256,
            ),
            _ => (
                jsonwebtoken::DecodingKey::from_ed_components(&field("x")).expect("ed"),
                jsonwebtoken::Algorithm::EdDSA,
            ),
        };
        let mut validation = jsonwebtoken::Validation::new(jalg);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.leeway = 60;
        assert!(jsonwebtoken::decode::<Value>(token, &key, &validation).is_ok());
        group.bench_function(BenchmarkId::new("jsonwebtoken", alg), |b| {
            b.iter(|| jsonwebtoken::decode::<Value>(token, &key, &validation))
        });

        let options = VerificationOptions {
            allowed_issuers: Some(HashSet::from([ISSUER.to_owned()])),
            allowed_audiences: Some(HashSet::from([AUDIENCE.to_owned()])),
            time_tolerance: Some(jwt_simple::prelude::Duration::from_secs(60)),
            ..VerificationOptions::default()
        };
        match fixture.alg {
            Algorithm::HS256 => {
                let key = SimpleHs256::from_bytes(&secret);
                if let Err(err) = key.verify_token::<NoCustomClaims>(token, Some(options.clone())) {
                    panic!("jwt-simple {alg}: {err}")
                }
                group.bench_function(BenchmarkId::new("jwt-simple", alg), |b| {
                    b.iter(|| key.verify_token::<NoCustomClaims>(token, Some(options.clone())))
                });
            }
            Algorithm::RS256 => {
                let key = RS256PublicKey::from_components(
                    &rsa_pub.n().to_bytes_be(),
                    &rsa_pub.e().to_bytes_be(),
                )
                .expect("rsa");
                if let Err(err) = key.verify_token::<NoCustomClaims>(token, Some(options.clone())) {
                    panic!("jwt-simple {alg}: {err}")
                }
                group.bench_function(BenchmarkId::new("jwt-simple", alg), |b| {
                    b.iter(|| key.verify_token::<NoCustomClaims>(token, Some(options.clone())))
                });
            }
            Algorithm::ES256 => {
                let key = ES256PublicKey::from_bytes(ec_pub.to_encoded_point(false).as_bytes())
                    .expect("ec");
                if let Err(err) = key.verify_token::<NoCustomClaims>(token, Some(options.clone())) {
                    panic!("jwt-simple {alg}: {err}")
                }
                group.bench_function(BenchmarkId::new("jwt-simple", alg), |b| {
                    b.iter(|| key.verify_token::<NoCustomClaims>(token, Some(options.clone())))
                });
            }
            _ => {
                let key = Ed25519PublicKey::from_bytes(ed_pub.as_bytes()).expect("ed");
                if let Err(err) = key.verify_token::<NoCustomClaims>(token, Some(options.clone())) {
                    panic!("jwt-simple {alg}: {err}")
                }
                group.bench_function(BenchmarkId::new("jwt-simple", alg), |b| {
                    b.iter(|| key.verify_token::<NoCustomClaims>(token, Some(options.clone())))
                });
            }
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
