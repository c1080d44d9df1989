//! `GET /v1/containers/{id}`: an asymmetric order's key pair, with real PEM keys behind it.

use reqwest::Method;
use serde_json::json;

use super::{Barbican, error};
use crate::harness::{TestStandin, last_segment};

#[tokio::test]
async fn an_asymmetric_order_yields_a_container_of_real_keys() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let id =
        b.create(json!({"type": "asymmetric", "meta": {"name": "pair", "algorithm": "rsa", "bit_length": 2048}})).await;
    let (_, order) = b.get_json(&format!("/v1/orders/{id}")).await;
    assert_eq!(order["status"], "ACTIVE");
    let keys: Vec<&String> = order.as_object().unwrap().keys().collect();
    assert_eq!(keys[0], "container_ref");
    assert!(order.get("secret_ref").is_none());
    let container_ref = order["container_ref"].as_str().unwrap();
    let (status, container) = b.get_json(&format!("/v1/containers/{}", last_segment(container_ref))).await;
    assert_eq!(status, 200);
    assert_eq!(container["type"], "rsa");
    assert_eq!(container["name"], "pair");
    assert_eq!(container["container_ref"], container_ref);
    let refs = container["secret_refs"].as_array().unwrap();
    let names: Vec<&str> = refs.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["private_key", "public_key"]);
    let mut pems = Vec::new();
    for r in refs {
        let path = format!("/v1/secrets/{}/payload", last_segment(r["secret_ref"].as_str().unwrap()));
        let resp = b.request(Method::GET, &path).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        pems.push(resp.text().await.unwrap());
    }
    assert!(pems[0].starts_with("-----BEGIN PRIVATE KEY-----"), "{}", &pems[0][..40]);
    assert!(pems[1].starts_with("-----BEGIN PUBLIC KEY-----"), "{}", &pems[1][..40]);
    // The two halves belong together.
    let private = openssl::pkey::PKey::private_key_from_pem(pems[0].as_bytes()).unwrap();
    let public = openssl::pkey::PKey::public_key_from_pem(pems[1].as_bytes()).unwrap();
    assert!(private.public_eq(&public));
    assert_eq!(private.bits(), 2048);
}

#[tokio::test]
async fn a_passphrase_adds_a_third_secret_and_encrypts_the_private_key() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let id = b
        .create(json!({"type": "asymmetric", "meta": {"algorithm": "rsa", "bit_length": 1024, "passphrase": "s3cret"}}))
        .await;
    let (_, order) = b.get_json(&format!("/v1/orders/{id}")).await;
    let (_, container) =
        b.get_json(&format!("/v1/containers/{}", last_segment(order["container_ref"].as_str().unwrap()))).await;
    assert_eq!(container["type"], "rsa");
    let names: Vec<&str> =
        container["secret_refs"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["private_key", "public_key", "private_key_passphrase"]);
    let private_path =
        format!("/v1/secrets/{}/payload", last_segment(container["secret_refs"][0]["secret_ref"].as_str().unwrap()));
    let pem = b.request(Method::GET, &private_path).send().await.unwrap().text().await.unwrap();
    assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    assert!(openssl::pkey::PKey::private_key_from_pem_passphrase(pem.as_bytes(), b"s3cret").is_ok());
}

#[tokio::test]
async fn dsa_keys_are_der_as_barbican_serialises_them() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let id = b.create(json!({"type": "asymmetric", "meta": {"algorithm": "dsa", "bit_length": 1024}})).await;
    let (_, order) = b.get_json(&format!("/v1/orders/{id}")).await;
    let (_, container) =
        b.get_json(&format!("/v1/containers/{}", last_segment(order["container_ref"].as_str().unwrap()))).await;
    assert_eq!(container["type"], "dsa");
    let mut der = Vec::new();
    for r in container["secret_refs"].as_array().unwrap() {
        let path = format!("/v1/secrets/{}/payload", last_segment(r["secret_ref"].as_str().unwrap()));
        der.push(b.request(Method::GET, &path).send().await.unwrap().bytes().await.unwrap());
    }
    let private = openssl::pkey::PKey::private_key_from_pkcs8(&der[0]).expect("PKCS#8 DER");
    let public = openssl::pkey::PKey::public_key_from_der(&der[1]).expect("SubjectPublicKeyInfo DER");
    assert!(private.public_eq(&public));
    assert_eq!(private.id(), openssl::pkey::Id::DSA);
}

#[tokio::test]
async fn containers_are_scoped_to_their_project() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let id = b.create(json!({"type": "asymmetric", "meta": {"algorithm": "rsa", "bit_length": 1024}})).await;
    let container_ref = b.get_json(&format!("/v1/orders/{id}")).await.1["container_ref"].as_str().unwrap().to_string();
    let path = format!("/v1/containers/{}", last_segment(&container_ref));
    assert_eq!(
        Barbican::new(&server, "p2").get_json(&path).await,
        (
            403,
            error(
                403,
                "Forbidden",
                "Container retrieval attempt not allowed - please review your user/project privileges"
            )
        )
    );
    assert_eq!(
        b.get_json(&format!("/v1/containers/{}", uuid::Uuid::new_v4())).await,
        (404, error(404, "Not Found", "Secrets container not found."))
    );
    assert_eq!(
        b.get_json("/v1/containers/x").await,
        (404, error(404, "Not Found", "Not Found. Provided container id is invalid."))
    );
}
