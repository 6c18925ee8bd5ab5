//! `serve` under abuse: a burst of edits while a client polls, clients that
//! connect and never speak, and a flood of requests. The server never serves
//! a half-written page, never stops, and keeps rebuilding (each test ends by
//! seeing one more edit served).

// Timings, for `--nocapture` runs.
#![allow(clippy::print_stderr)]

use std::io::Write as _;
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::http::{Response, request, split_url};
use crate::support::{ARRIVAL, PATIENCE, Running, Stream, TestSite, entry};

/// A running `laurel serve --port 0`: its address and site path.
struct Server {
    process: Running,
    /// `127.0.0.1:PORT`
    addr: String,
    /// `/column/`
    prefix: String,
}

impl Server {
    fn start(site: &TestSite) -> Server {
        let process = site.spawn(&["serve", "--port", "0"]);
        let i = process.wait_for(0, "the `serving` line", |l| {
            l.stream == Stream::Stdout && l.text.starts_with("serving ")
        });
        let line = process.lines_since(i).remove(0).text;
        let url = line["serving ".len()..]
            .split(' ')
            .next()
            .unwrap()
            .to_string();
        let (addr, prefix) = split_url(&url);
        Server {
            process,
            addr,
            prefix,
        }
    }

    fn get(&self, rel: &str) -> Response {
        request(&self.addr, "GET", &format!("{}{rel}", self.prefix))
    }

    /// Polls `rel` until its body contains `needle`.
    #[track_caller]
    fn until_contains(&self, rel: &str, needle: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let r = self.get(rel);
            if r.status == 200 && String::from_utf8_lossy(&r.body).contains(needle) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{rel} never showed {needle:?}; laurel printed:\n{}",
                self.process.transcript()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A served page is whole: a complete HTML document, as long as it says.
#[track_caller]
fn assert_whole(rel: &str, r: &Response) {
    if r.status != 200 {
        return;
    }
    let body = String::from_utf8_lossy(&r.body);
    assert!(
        body.trim_end().ends_with("</html>"),
        "{rel}: half-written page ({} bytes): ...{}",
        body.len(),
        &body[body.len().saturating_sub(200)..]
    );
    if let Some(len) = r.header("content-length") {
        assert_eq!(len.parse::<usize>().unwrap(), r.body.len(), "{rel}");
    }
}

fn arrival_version(i: usize) -> String {
    entry(
        "title: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang\ntags: [nursing]",
        &format!("版本{i}号。\n\n{}\n", "护目镜起雾了。".repeat(200)),
    )
}

#[test]
fn thousand_rapid_edits_while_polling_never_serve_a_half_written_page() {
    let site = TestSite::new();
    let server = Server::start(&site);
    server.until_contains("diary/arrival/", "今天抵达");

    let done = Arc::new(AtomicBool::new(false));
    let served = Arc::new(AtomicUsize::new(0));
    let pollers: Vec<_> = ["diary/arrival/", "", "people/wu-yang/"]
        .into_iter()
        .map(|rel| {
            let (addr, prefix) = (server.addr.clone(), server.prefix.clone());
            let (done, served) = (done.clone(), served.clone());
            std::thread::spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    let r = request(&addr, "GET", &format!("{prefix}{rel}"));
                    assert!(r.status == 200, "{rel}: status {}", r.status);
                    assert_whole(rel, &r);
                    served.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();

    for i in 0..1000 {
        // Plain writes (truncate, then write): watchers see half-written
        // files too, which must never reach a client.
        site.file("content/diary/2020-02-10-arrival.md", &arrival_version(i));
        if i % 10 == 0 {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    server.until_contains("diary/arrival/", "版本999号");
    done.store(true, Ordering::Relaxed);
    for p in pollers {
        p.join().expect("a poller saw a broken page");
    }
    assert!(served.load(Ordering::Relaxed) > 0);
    site.file("content/diary/2020-02-10-arrival.md", ARRIVAL);
    server.until_contains("diary/arrival/", "今天抵达");
}

#[test]
fn stuck_clients_do_not_block_rebuilds_or_other_clients() {
    let site = TestSite::new();
    let server = Server::start(&site);
    server.until_contains("diary/arrival/", "今天抵达");

    // Connections that never send a byte, or stop in the middle of a request.
    let mut stuck = Vec::new();
    for i in 0..20 {
        let mut s = TcpStream::connect(&server.addr).unwrap();
        if i % 2 == 1 {
            s.write_all(b"GET /column/ HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
        }
        stuck.push(s);
    }
    // Also a live-reload listener that never reads what it is sent.
    let mut sse = TcpStream::connect(&server.addr).unwrap();
    sse.write_all(
        format!(
            "GET {}__laurel/live HTTP/1.1\r\nHost: x\r\n\r\n",
            server.prefix
        )
        .as_bytes(),
    )
    .unwrap();

    for i in 0..5 {
        site.file("content/diary/2020-02-10-arrival.md", &arrival_version(i));
        server.until_contains("diary/arrival/", &format!("版本{i}号"));
    }
    drop(stuck);
    drop(sse);
}

#[test]
fn ten_thousand_requests_on_loopback_do_not_stop_the_server() {
    let site = TestSite::new();
    let server = Server::start(&site);
    server.until_contains("diary/arrival/", "今天抵达");

    let started = Instant::now();
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let (addr, prefix) = (server.addr.clone(), server.prefix.clone());
            std::thread::spawn(move || {
                let targets = ["", "diary/arrival/", "nope/", "../etc/passwd", "%2e%2e/x"];
                for i in 0..1250 {
                    let rel = targets[(w + i) % targets.len()];
                    let r = request(&addr, "GET", &format!("{prefix}{rel}"));
                    assert!(
                        [200, 301, 400, 404].contains(&r.status),
                        "{rel}: {}",
                        r.status
                    );
                    assert_whole(rel, &r);
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("a request failed");
    }
    eprintln!("10k requests in {:.1} s", started.elapsed().as_secs_f64());
    // Still rebuilding and serving.
    site.file("content/diary/2020-02-10-arrival.md", &arrival_version(7));
    server.until_contains("diary/arrival/", "版本7号");
}
