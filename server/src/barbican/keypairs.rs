//! The key pairs of asymmetric orders, serialised as Barbican 21.0.0 does (observed): RSA keys as
//! PEM, DSA keys as binary DER; PKCS#8 for the private key (encrypted with a passphrase, PBES2 with
//! PBKDF2-HMAC-SHA256 and AES-256-CBC) and SubjectPublicKeyInfo for the public one.
//!
//! Without a seed OpenSSL generates them. Under `--seed` ([`crate::determinism`]) they must come
//! from the seeded stream, and OpenSSL's generator cannot be seeded, so:
//! - RSA keys come from the pure-Rust `rsa` crate, driven by a ChaCha20 generator forked from the
//!   stream ([`crate::determinism::fork_rng`]);
//! - DSA domain parameters and keys are searched here (FIPS 186-4 appendix A.1.1 and B.1.1, without
//!   the domain parameter seed): the candidates come from the forked generator, and OpenSSL's
//!   bignum arithmetic tests and combines them (the `dsa` crate offers no 4096-bit size, and gives
//!   every candidate p a full primality test, without sieving out small factors first);
//! - a passphrase-encrypted private key gets its PBES2 salt and IV from the forked generator too
//!   (the `pkcs8` crate encrypts it, with OpenSSL's parameters: 2048 iterations, an 8-byte salt).
//!
//! Either way the key is loaded into OpenSSL and serialised by it, so both paths give the same
//! format.

use openssl::bn::{BigNum, BigNumContext, BigNumRef};
use openssl::dsa::Dsa;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::symm::Cipher;
use rand::Rng;
use rand::rngs::ChaCha20Rng;

/// A key pair: the private and the public key, serialised.
#[derive(Debug)]
pub struct Pair {
    pub private_key: Vec<u8>,
    pub public_key: Vec<u8>,
}

/// OpenSSL's PBKDF2 iteration count for PKCS#8 encryption (`PKCS5_DEFAULT_ITER`).
const PBKDF2_ITERATIONS: u32 = 2048;
/// OpenSSL 3.0's PBKDF2 salt length for it (`PKCS5_SALT_LEN`).
const PBKDF2_SALT_LEN: usize = 8;
/// Miller-Rabin rounds per primality test (after trial division): a composite passes with a
/// probability below 2^-128, so the outcome, and the key, depend on the seed alone.
const PRIME_CHECKS: i32 = 64;

/// Generate an `algorithm` (`rsa` or `dsa`) key pair of `bits` bits, the private key encrypted
/// with `passphrase` when there is one.
pub fn generate(algorithm: &str, bits: u32, passphrase: Option<&str>) -> anyhow::Result<Pair> {
    generate_with(crate::determinism::fork_rng(), algorithm, bits, passphrase)
}

/// [`generate`], from `rng` when there is one, from OpenSSL's generator otherwise.
fn generate_with(
    mut rng: Option<ChaCha20Rng>,
    algorithm: &str,
    bits: u32,
    passphrase: Option<&str>,
) -> anyhow::Result<Pair> {
    let pkey = match (&mut rng, algorithm) {
        (None, "rsa") => PKey::from_rsa(Rsa::generate(bits)?)?,
        (None, _) => PKey::from_dsa(Dsa::generate(bits)?)?,
        (Some(rng), "rsa") => seeded_rsa(rng, bits)?,
        (Some(rng), _) => PKey::from_dsa(seeded_dsa(rng, bits)?)?,
    };
    let pem = algorithm == "rsa";
    let public_key = if pem { pkey.public_key_to_pem()? } else { pkey.public_key_to_der()? };
    let private_key = match (passphrase, rng) {
        (None, _) => {
            if pem {
                pkey.private_key_to_pem_pkcs8()?
            } else {
                pkey.private_key_to_pkcs8()?
            }
        }
        (Some(p), None) => {
            let cipher = Cipher::aes_256_cbc();
            if pem {
                pkey.private_key_to_pem_pkcs8_passphrase(cipher, p.as_bytes())?
            } else {
                pkey.private_key_to_pkcs8_passphrase(cipher, p.as_bytes())?
            }
        }
        (Some(p), Some(mut rng)) => encrypt_seeded(&pkey, p, &mut rng, pem)?,
    };
    Ok(Pair { private_key, public_key })
}

/// An RSA key (public exponent 65537, as OpenSSL's) from the pure-Rust generator.
fn seeded_rsa(rng: &mut ChaCha20Rng, bits: u32) -> anyhow::Result<PKey<Private>> {
    use rsa::pkcs8::EncodePrivateKey;
    let key = rsa::PrivateKey::new(rng, bits as usize)?;
    let der = key.to_pkcs8_der()?;
    Ok(PKey::private_key_from_pkcs8(der.as_bytes())?)
}

/// `bits` random bits (a multiple of 8) with the top one set.
fn random_with_top_bit(rng: &mut ChaCha20Rng, bits: u32) -> anyhow::Result<BigNum> {
    let mut bytes = vec![0u8; (bits / 8) as usize];
    rng.fill_bytes(&mut bytes);
    bytes[0] |= 0x80;
    Ok(BigNum::from_slice(&bytes)?)
}

fn is_prime(n: &BigNumRef, ctx: &mut BigNumContext) -> anyhow::Result<bool> {
    Ok(n.is_prime_fasttest(PRIME_CHECKS, ctx, true)?)
}

/// A DSA key of `bits` (L) bits with q of N = 160 bits below 2048 and 256 from 2048 on, as
/// OpenSSL's `DSA_generate_parameters_ex` chooses.
fn seeded_dsa(rng: &mut ChaCha20Rng, bits: u32) -> anyhow::Result<Dsa<Private>> {
    let (l, n) = (bits, if bits >= 2048 { 256 } else { 160 });
    let mut ctx = BigNumContext::new()?;
    let one = BigNum::from_u32(1)?;
    let (p, q) = 'search: loop {
        // q: a random N-bit prime.
        let mut q = random_with_top_bit(rng, n)?;
        q.set_bit(0)?;
        if !is_prime(&q, &mut ctx)? {
            continue;
        }
        let mut two_q = BigNum::new()?;
        two_q.checked_add(&q, &q)?;
        // p: an L-bit prime with q dividing p - 1, from 4L random L-bit X each made ≡ 1 mod 2q.
        for _ in 0..4 * l {
            let x = random_with_top_bit(rng, l)?;
            let mut c = BigNum::new()?;
            c.nnmod(&x, &two_q, &mut ctx)?;
            let mut c_less_one = BigNum::new()?;
            c_less_one.checked_sub(&c, &one)?;
            let mut p = BigNum::new()?;
            p.checked_sub(&x, &c_less_one)?;
            if p.num_bits() == l as i32 && is_prime(&p, &mut ctx)? {
                break 'search (p, q);
            }
        }
    };
    // g = h^((p - 1) / q) mod p for the first h from 2 that gives g != 1.
    let mut p_less_one = BigNum::new()?;
    p_less_one.checked_sub(&p, &one)?;
    let mut e = BigNum::new()?;
    e.checked_div(&p_less_one, &q, &mut ctx)?;
    let mut h = BigNum::from_u32(2)?;
    let g = loop {
        let mut g = BigNum::new()?;
        g.mod_exp(&h, &e, &p, &mut ctx)?;
        if g != one {
            break g;
        }
        h.add_word(1)?;
    };
    // x: N + 64 random bits reduced to [1, q - 1]; y = g^x mod p.
    let mut extra = vec![0u8; (n / 8 + 8) as usize];
    rng.fill_bytes(&mut extra);
    let mut q_less_one = BigNum::new()?;
    q_less_one.checked_sub(&q, &one)?;
    let mut x = BigNum::new()?;
    let extra = BigNum::from_slice(&extra)?;
    x.nnmod(&extra, &q_less_one, &mut ctx)?;
    x.add_word(1)?;
    let mut y = BigNum::new()?;
    y.mod_exp(&g, &x, &p, &mut ctx)?;
    Ok(Dsa::from_private_components(p, q, g, x, y)?)
}

/// The private key as encrypted PKCS#8 (PEM or DER), its PBES2 salt and IV from `rng`.
fn encrypt_seeded(pkey: &PKey<Private>, passphrase: &str, rng: &mut ChaCha20Rng, pem: bool) -> anyhow::Result<Vec<u8>> {
    let mut salt = [0u8; PBKDF2_SALT_LEN];
    rng.fill_bytes(&mut salt);
    let mut iv = [0u8; 16];
    rng.fill_bytes(&mut iv);
    let params = pkcs8::pkcs5::pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(PBKDF2_ITERATIONS, &salt, iv)
        .map_err(|e| anyhow::anyhow!("PBES2 parameters: {e}"))?;
    let plain = pkey.private_key_to_pkcs8()?;
    let info = pkcs8::PrivateKeyInfoRef::try_from(plain.as_slice()).map_err(|e| anyhow::anyhow!("PKCS#8: {e}"))?;
    let encrypted =
        info.encrypt_with_params(params, passphrase.as_bytes()).map_err(|e| anyhow::anyhow!("PKCS#8: {e}"))?;
    if pem {
        let pem = encrypted
            .to_pem("ENCRYPTED PRIVATE KEY", pkcs8::LineEnding::LF)
            .map_err(|e| anyhow::anyhow!("PEM: {e}"))?;
        Ok(pem.as_bytes().to_vec())
    } else {
        Ok(encrypted.as_bytes().to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use openssl::hash::MessageDigest;
    use openssl::sign::{Signer, Verifier};
    use rand::SeedableRng;
    use std::time::Instant;

    fn seeded(seed: u64, algorithm: &str, bits: u32, passphrase: Option<&str>) -> Pair {
        let started = Instant::now();
        let pair = generate_with(Some(ChaCha20Rng::seed_from_u64(seed)), algorithm, bits, passphrase).unwrap();
        eprintln!("seeded {algorithm} {bits}: {:.2} s", started.elapsed().as_secs_f64());
        pair
    }

    /// The private key signs, the public key verifies: they are one pair.
    fn assert_one_pair(private: &PKey<Private>, public: &PKey<openssl::pkey::Public>) {
        assert!(private.public_eq(public));
        let mut signer = Signer::new(MessageDigest::sha256(), private).unwrap();
        signer.update(b"standin").unwrap();
        let signature = signer.sign_to_vec().unwrap();
        let mut verifier = Verifier::new(MessageDigest::sha256(), public).unwrap();
        verifier.update(b"standin").unwrap();
        assert!(verifier.verify(&signature).unwrap());
    }

    #[test]
    fn seeded_rsa_pairs_are_reproducible_valid_pem() {
        let a = seeded(1, "rsa", 2048, None);
        let b = seeded(1, "rsa", 2048, None);
        let c = seeded(2, "rsa", 2048, None);
        assert_eq!((&a.private_key, &a.public_key), (&b.private_key, &b.public_key));
        assert_ne!(a.private_key, c.private_key);
        assert_ne!(a.public_key, c.public_key);
        let private = PKey::private_key_from_pem(&a.private_key).unwrap();
        let public = PKey::public_key_from_pem(&a.public_key).unwrap();
        assert_eq!(private.bits(), 2048);
        assert!(private.rsa().unwrap().check_key().unwrap());
        assert_eq!(private.rsa().unwrap().e().to_dec_str().unwrap().to_string(), "65537");
        assert_one_pair(&private, &public);
        // The same serialisation as the OpenSSL path.
        let unseeded = generate_with(None, "rsa", 2048, None).unwrap();
        let head = |pem: &[u8]| String::from_utf8(pem.to_vec()).unwrap().lines().next().unwrap().to_string();
        assert_eq!(head(&a.private_key), "-----BEGIN PRIVATE KEY-----");
        assert_eq!(head(&a.public_key), "-----BEGIN PUBLIC KEY-----");
        assert_eq!(head(&unseeded.private_key), head(&a.private_key));
        assert_eq!(head(&unseeded.public_key), head(&a.public_key));
        assert_eq!(private.private_key_to_pem_pkcs8().unwrap(), a.private_key, "OpenSSL's serialisation");
        assert_eq!(public.public_key_to_pem().unwrap(), a.public_key);
        assert_eq!(a.public_key.len(), unseeded.public_key.len());
    }

    #[test]
    fn seeded_dsa_pairs_are_reproducible_valid_der() {
        for (bits, q_bits) in [(1024, 160), (2048, 256)] {
            let a = seeded(3, "dsa", bits, None);
            let b = seeded(3, "dsa", bits, None);
            let c = seeded(4, "dsa", bits, None);
            assert_eq!((&a.private_key, &a.public_key), (&b.private_key, &b.public_key));
            assert_ne!(a.private_key, c.private_key);
            let private = PKey::private_key_from_der(&a.private_key).unwrap();
            let public = PKey::public_key_from_der(&a.public_key).unwrap();
            assert_eq!(private.bits(), bits);
            let dsa = private.dsa().unwrap();
            assert_eq!(dsa.q().num_bits(), q_bits);
            let mut ctx = BigNumContext::new().unwrap();
            assert!(dsa.p().is_prime(64, &mut ctx).unwrap() && dsa.q().is_prime(64, &mut ctx).unwrap());
            let mut r = BigNum::new().unwrap();
            r.mod_exp(dsa.g(), dsa.q(), dsa.p(), &mut ctx).unwrap();
            assert_eq!(r, BigNum::from_u32(1).unwrap(), "g has order q");
            assert_one_pair(&private, &public);
            // OpenSSL's own keys of that size have the same q and the same serialisation.
            let unseeded = generate_with(None, "dsa", bits, None).unwrap();
            let theirs = PKey::private_key_from_der(&unseeded.private_key).unwrap();
            assert_eq!(theirs.dsa().unwrap().q().num_bits(), q_bits);
            assert_eq!(private.private_key_to_pkcs8().unwrap(), a.private_key);
            assert_eq!(public.public_key_to_der().unwrap(), a.public_key);
        }
    }

    #[test]
    fn a_seeded_passphrase_encryption_is_reproducible_and_openssls() {
        let a = seeded(5, "rsa", 1024, Some("secret"));
        let b = seeded(5, "rsa", 1024, Some("secret"));
        assert_eq!(a.private_key, b.private_key);
        let pem = String::from_utf8(a.private_key.clone()).unwrap();
        assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"), "{pem}");
        let key = PKey::private_key_from_pem_passphrase(&a.private_key, b"secret").unwrap();
        assert!(key.public_eq(&PKey::public_key_from_pem(&a.public_key).unwrap()));
        assert!(PKey::private_key_from_pem_passphrase(&a.private_key, b"wrong").is_err());
        // The same structure as OpenSSL's encryption of the same key: only the salt, the IV and
        // so the ciphertext differ.
        let der = |pem: &[u8]| {
            let text = String::from_utf8(pem.to_vec()).unwrap();
            let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
            base64::Engine::decode(&base64::engine::general_purpose::STANDARD, body).unwrap()
        };
        let openssl_pem = key.private_key_to_pem_pkcs8_passphrase(Cipher::aes_256_cbc(), b"secret").unwrap();
        let (mine, theirs) = (der(&a.private_key), der(&openssl_pem));
        assert_eq!(mine.len(), theirs.len());
        // PBES2 { PBKDF2 { salt (8 bytes at 36), 2048, hmacWithSHA256 }, aes256-CBC { IV (16 bytes at
        // 77) } }, then the ciphertext's OCTET STRING header.
        assert_eq!(hex(&mine[..36]), hex(&theirs[..36]));
        assert_eq!(hex(&mine[44..77]), hex(&theirs[44..77]));
        assert_eq!(hex(&mine[93..97]), hex(&theirs[93..97]));
        assert_eq!(&mine[36..44], &der(&b.private_key)[36..44]);
        let d = seeded(6, "dsa", 1024, Some("secret"));
        let key = PKey::private_key_from_pkcs8_passphrase(&d.private_key, b"secret").unwrap();
        assert!(key.public_eq(&PKey::public_key_from_der(&d.public_key).unwrap()));
    }

    /// How long seeded generation takes: `cargo test -p standin --lib keypairs::tests::timings -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn timings() {
        for (algorithm, bits) in [("rsa", 2048), ("rsa", 4096), ("dsa", 2048), ("dsa", 4096)] {
            for seed in 10..13 {
                seeded(seed, algorithm, bits, None);
            }
            if algorithm == "dsa" {
                let theirs = generate_with(None, algorithm, bits, None).unwrap();
                let theirs = PKey::private_key_from_der(&theirs.private_key).unwrap();
                let ours = PKey::private_key_from_der(&seeded(10, algorithm, bits, None).private_key).unwrap();
                assert_eq!(ours.dsa().unwrap().q().num_bits(), theirs.dsa().unwrap().q().num_bits());
            }
        }
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }
}
