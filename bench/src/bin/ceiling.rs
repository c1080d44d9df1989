//! The ceiling of this machine for ci/bench: a bare hyper HTTP/1.1 server that answers every
//! request with the same body (the bytes of a file, e.g. a real standin answer), doing no routing,
//! parsing or storage. Whatever a real server does costs throughput relative to this.

use std::net::SocketAddr;
use std::path::PathBuf;

use bytes::Bytes;
use clap::Parser;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

#[derive(Parser)]
struct Args {
    /// Where to listen.
    #[arg(long, default_value = "127.0.0.1:9400")]
    listen: SocketAddr,
    /// The body every answer carries.
    #[arg(long)]
    body_file: PathBuf,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let body = Bytes::from(std::fs::read(&args.body_file)?);
    let listener = TcpListener::bind(args.listen).await?;
    println!("bench-ceiling: {} ({} bytes per answer)", listener.local_addr()?, body.len());
    loop {
        let (stream, _) = listener.accept().await?;
        let body = body.clone();
        tokio::spawn(async move {
            let service = service_fn(move |_req: Request<hyper::body::Incoming>| {
                let body = body.clone();
                async move {
                    Ok::<_, std::convert::Infallible>(
                        Response::builder()
                            .header("content-type", "application/json")
                            .body(Full::new(body))
                            .expect("a static response builds"),
                    )
                }
            });
            let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}
