//! A tiny blocking HTTP/1.1 client for the `serve` tests: plain requests over
//! a `TcpStream`, written by hand so that the request target reaches the
//! server exactly as written (no client-side path normalization), and a
//! reader for the live-reload event stream (server-sent events).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::support::PATIENCE;

/// `http://127.0.0.1:1234/column/` → (`127.0.0.1:1234`, `/column/`).
pub fn split_url(url: &str) -> (String, String) {
    let rest = url.strip_prefix("http://").expect("an http:// URL");
    match rest.find('/') {
        Some(i) => (rest[..i].to_string(), rest[i..].to_string()),
        None => (rest.to_string(), "/".to_string()),
    }
}

/// One HTTP response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    /// Header names lowercased, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (pages are UTF-8).
    #[track_caller]
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("a UTF-8 body")
    }
}

/// `GET url`.
#[track_caller]
pub fn get(url: &str) -> Response {
    let (addr, target) = split_url(url);
    request(&addr, "GET", &target)
}

/// `METHOD target` to `addr`, with the target sent byte for byte as given.
#[track_caller]
pub fn request(addr: &str, method: &str, target: &str) -> Response {
    send_raw(
        addr,
        &format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
        method == "HEAD",
    )
}

/// Sends `raw` (a whole request) and reads the response until the server
/// closes the connection. For a HEAD request the body is whatever bytes
/// followed the head (there should be none).
#[track_caller]
pub fn send_raw(addr: &str, raw: &str, is_head: bool) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    stream.write_all(raw.as_bytes()).expect("send request");
    let mut bytes = Vec::new();
    stream
        .read_to_end(&mut bytes)
        .unwrap_or_else(|e| panic!("read the response to {raw:?}: {e}"));
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&bytes)));
    let head = String::from_utf8(bytes[..split].to_vec()).expect("an ASCII head");
    let (status, headers) = parse_head(&head);
    let rest = &bytes[split + 4..];
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked && !is_head {
        let mut out = Vec::new();
        let mut reader = rest;
        while let Some(chunk) = read_chunk(&mut reader) {
            out.extend_from_slice(&chunk);
        }
        out
    } else {
        rest.to_vec()
    };
    Response {
        status,
        headers,
        body,
    }
}

fn parse_head(head: &str) -> (u16, Vec<(String, String)>) {
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("a status line");
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers)
}

/// One chunk of a chunked body; `None` after the last one (or at the end).
fn read_chunk(reader: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut size_line = String::new();
    if reader.read_line(&mut size_line).ok()? == 0 {
        return None;
    }
    let hex = size_line.trim().split(';').next().unwrap_or("");
    let size = usize::from_str_radix(hex, 16).ok()?;
    if size == 0 {
        return None;
    }
    let mut chunk = vec![0; size];
    reader.read_exact(&mut chunk).ok()?;
    let mut crlf = [0; 2];
    reader.read_exact(&mut crlf).ok()?;
    Some(chunk)
}

/// One server-sent event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` name (`message` when there was none).
    pub name: String,
    /// The `data:` lines joined with `\n`.
    pub data: String,
}

/// An open event stream, read by a background thread. Connected (the server
/// has answered, so it is subscribed) as soon as [`EventStream::open`] returns.
pub struct EventStream {
    events: Receiver<SseEvent>,
    socket: TcpStream,
    reader: Option<JoinHandle<()>>,
}

impl EventStream {
    #[track_caller]
    pub fn open(url: &str) -> EventStream {
        let (addr, target) = split_url(url);
        let mut socket =
            TcpStream::connect(&addr).unwrap_or_else(|e| panic!("connect {addr}: {e}"));
        socket
            .write_all(
                format!(
                    "GET {target} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
                )
                .as_bytes(),
            )
            .expect("send request");
        let mut reader = BufReader::new(socket.try_clone().expect("clone socket"));
        // The head is read here, with a deadline, so that a server that never
        // answers fails the test instead of hanging it.
        socket.set_read_timeout(Some(PATIENCE)).expect("timeout");
        let mut head = String::new();
        loop {
            let mut line = String::new();
            let n = reader
                .read_line(&mut line)
                .unwrap_or_else(|e| panic!("read the head of {url}: {e}"));
            assert!(n > 0, "{url} closed before answering: {head}");
            if line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        let (status, headers) = parse_head(head.trim_end());
        assert_eq!(status, 200, "{url} answered {head}");
        let content_type = headers
            .iter()
            .find(|(n, _)| n == "content-type")
            .map(|(_, v)| v.as_str());
        assert_eq!(content_type, Some("text/event-stream"), "{head}");
        let chunked = headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
        // Events can be far apart: from now on the reader waits for ever,
        // and dropping the stream shuts the socket down to end it.
        socket.set_read_timeout(None).expect("no timeout");
        let (tx, events) = channel();
        let reader = std::thread::spawn(move || read_events(reader, chunked, &tx));
        EventStream {
            events,
            socket,
            reader: Some(reader),
        }
    }

    /// The next event, if one arrives within `timeout`.
    pub fn next(&self, timeout: Duration) -> Option<SseEvent> {
        self.events.recv_timeout(timeout).ok()
    }

    /// Waits (up to [`PATIENCE`]) for an event named `name`; returns the
    /// events that came before it, and it.
    #[track_caller]
    pub fn wait_for(&self, name: &str) -> (Vec<SseEvent>, SseEvent) {
        let deadline = Instant::now() + PATIENCE;
        let mut before = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.next(left) {
                Some(e) if e.name == name => return (before, e),
                Some(e) => before.push(e),
                None => panic!("no `{name}` event arrived; got {before:?}"),
            }
        }
    }
}

impl Drop for EventStream {
    fn drop(&mut self) {
        let _ = self.socket.shutdown(Shutdown::Both);
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
    }
}

/// Decodes the body (chunked or not) into lines and the lines into events.
fn read_events(mut reader: BufReader<TcpStream>, chunked: bool, tx: &Sender<SseEvent>) {
    let mut pending = Vec::new();
    let mut name = String::new();
    let mut data: Vec<String> = Vec::new();
    loop {
        let bytes = if chunked {
            match read_chunk(&mut reader) {
                Some(c) => c,
                None => return,
            }
        } else {
            let mut buf = vec![0; 4096];
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => buf[..n].to_vec(),
            }
        };
        pending.extend_from_slice(&bytes);
        while let Some(end) = pending.iter().position(|&b| b == b'\n') {
            let raw: Vec<u8> = pending.drain(..=end).collect();
            let line = String::from_utf8_lossy(&raw);
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                if !name.is_empty() || !data.is_empty() {
                    let event = SseEvent {
                        name: if name.is_empty() {
                            "message".to_string()
                        } else {
                            std::mem::take(&mut name)
                        },
                        data: std::mem::take(&mut data).join("\n"),
                    };
                    if tx.send(event).is_err() {
                        return;
                    }
                }
            } else if line.starts_with(':') {
                // A comment: the server's keep-alive.
            } else {
                let (field, value) = line.split_once(':').unwrap_or((line, ""));
                let value = value.strip_prefix(' ').unwrap_or(value).to_string();
                match field {
                    "event" => name = value,
                    "data" => data.push(value),
                    _ => {}
                }
            }
        }
    }
}
