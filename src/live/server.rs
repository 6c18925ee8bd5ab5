//! `laurel serve`: the live site over HTTP (axum) from memory, with browser
//! live reload. The server only ever answers with what the [`MemoryStore`]
//! holds: rendered files' bytes, and for static files the path of the site's
//! file, streamed from disk (with `Range`, HEAD and `ETag`), so no request
//! can reach a file outside the site; the reload script exists only in
//! responses, never in `build` output.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::BroadcastStream;

use super::session::{MemoryStore, Served};
use crate::export::wechat::{SiteUpdate, Snapshot};

/// Path (under the site prefix) of the live-reload event stream.
pub const LIVE_PATH: &str = "__laurel/live";
/// Path (under the site prefix) of an entry's WeChat rendition:
/// `__laurel/wechat/<entry path>` (`…/diary/arrival`), what the entry page's
/// copy button copies.
pub const WECHAT_PATH: &str = "__laurel/wechat/";

/// A message to the browsers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Reload the page.
    Reload,
    /// Only stylesheets changed: swap them without reloading.
    Css,
    /// The last rebuild failed: show this text in an overlay.
    Error(String),
}

/// Shared by the HTTP handlers and the rebuild loop.
pub struct ServeState {
    pub store: MemoryStore,
    /// `/` or `/column/`: the site is served under the base URL's path.
    pub root_path: String,
    notices: broadcast::Sender<Notice>,
    last_error: RwLock<Option<String>>,
    /// The last good site's entries, for the WeChat copy button.
    wechat: RwLock<Option<Arc<Snapshot>>>,
}

impl ServeState {
    pub fn new(root_path: &str) -> Arc<ServeState> {
        let (notices, _) = broadcast::channel(64);
        Arc::new(ServeState {
            store: MemoryStore::default(),
            root_path: root_path.to_string(),
            notices,
            last_error: RwLock::new(None),
            wechat: RwLock::new(None),
        })
    }

    /// The site that the copy button now exports from. An edit is applied
    /// in place (copied first only while a request still reads the old one).
    pub fn update_site(&self, update: SiteUpdate) {
        let mut slot = self.wechat.write().unwrap_or_else(|p| p.into_inner());
        match update {
            SiteUpdate::Whole(s) => *slot = Some(Arc::new(*s)),
            SiteUpdate::Entries(articles) => {
                if let Some(s) = slot.as_mut() {
                    Arc::make_mut(s).apply(articles);
                }
            }
        }
    }

    fn snapshot(&self) -> Option<Arc<Snapshot>> {
        self.wechat
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Tells every open page what happened.
    pub fn notify(&self, notice: Notice) {
        *self.last_error.write().unwrap_or_else(|p| p.into_inner()) = match &notice {
            Notice::Error(e) => Some(e.clone()),
            _ => None,
        };
        // No open page is not an error.
        let _ = self.notices.send(notice);
    }
}

/// Serves `state` on `listener` until the process ends.
pub async fn run(listener: std::net::TcpListener, state: Arc<ServeState>) -> anyhow::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let app = Router::new().fallback(handle).with_state(state);
    // Not `axum::serve`: it has no header-read timeout, no idle timeout and
    // no connection cap (see `connections.rs`).
    super::connections::serve(
        listener,
        app,
        super::connections::Limits::for_this_process(),
    )
    .await;
    Ok(())
}

/// Whether binding `addr` exposes the site beyond this machine.
pub fn is_public(addr: &SocketAddr) -> bool {
    !addr.ip().is_loopback()
}

async fn handle(State(state): State<Arc<ServeState>>, req: Request) -> Response {
    let method = req.method().clone();
    if method != Method::GET && method != Method::HEAD {
        let mut r = (StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n").into_response();
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    // The request path arrives percent-encoded (`/%E4%B8%93%E6%A0%8F/` for
    // a base_url path of `/专栏/`): decoded once, then compared.
    let Some(raw_path) = percent_decode(req.uri().path()) else {
        return not_found(&state, &method);
    };
    let Some(rel) = raw_path.strip_prefix(state.root_path.as_str()).or_else(|| {
        // `/column` without its slash.
        (raw_path.len() + 1 == state.root_path.len() && state.root_path.starts_with(&raw_path))
            .then_some("")
    }) else {
        if raw_path == "/" {
            return redirect(&state.root_path);
        }
        return not_found(&state, &method);
    };
    if raw_path.len() + 1 == state.root_path.len() {
        return redirect(&state.root_path);
    }
    if rel == LIVE_PATH {
        return live(&state).into_response();
    }
    if let Some(key) = rel.strip_prefix(WECHAT_PATH) {
        return wechat(&state, key, &method).await;
    }
    if !is_plain(rel) {
        return not_found(&state, &method);
    }
    let rel = rel.to_string();
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.clone()
    };
    match state.store.get(&file) {
        Some(Served::Bytes(bytes)) => respond(&state, &file, &bytes, StatusCode::OK, &method),
        Some(Served::File { path }) => {
            match stream_file(&path, &file, req.headers(), &method).await {
                Some(r) => r,
                // Gone since the last rebuild: the next one notices.
                None => not_found(&state, &method),
            }
        }
        None if !rel.ends_with('/') && state.store.get(&format!("{rel}/index.html")).is_some() => {
            redirect(&format!("{}{rel}/", state.root_path))
        }
        None => not_found(&state, &method),
    }
}

/// Percent-decodes a request path and refuses anything that is not a plain
/// relative path inside the site (`..`, `.`, backslashes, NUL, empty segments).
pub fn decode_path(rel: &str) -> Option<String> {
    percent_decode(rel).filter(|s| is_plain(s))
}

/// A percent-decoded path, when it decodes to UTF-8. A `%` that does not
/// start an escape (`%zz`, `%+1`, a lone `%` at the end) makes the path
/// malformed: refused, not taken as it is.
fn percent_decode(rel: &str) -> Option<String> {
    let malformed = rel.match_indices('%').any(|(i, _)| {
        !rel.get(i + 1..i + 3)
            .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    if malformed {
        return None;
    }
    percent_encoding::percent_decode_str(rel)
        .decode_utf8()
        .ok()
        .map(std::borrow::Cow::into_owned)
}

/// Whether a decoded path below the site is plain: no `..`, `.`,
/// backslashes, NUL or empty segments.
fn is_plain(s: &str) -> bool {
    let segments: Vec<&str> = s.split('/').collect();
    segments.iter().enumerate().all(|(n, seg)| {
        let last = n + 1 == segments.len();
        !((seg.is_empty() && !last) || *seg == "." || *seg == ".." || seg.contains(['\\', '\0']))
    })
}

/// What a `Location` header may carry as it is; everything else (non-ASCII
/// included) is percent-encoded.
const LOCATION: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

fn redirect(to: &str) -> Response {
    let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
    let to = percent_encoding::utf8_percent_encode(to, LOCATION).to_string();
    if let Ok(v) = HeaderValue::from_str(&to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

fn not_found(state: &ServeState, method: &Method) -> Response {
    match state.store.get("404.html") {
        Some(Served::Bytes(bytes)) => {
            respond(state, "404.html", &bytes, StatusCode::NOT_FOUND, method)
        }
        // Nothing built yet (the first build failed): a bare page that still
        // carries the live-reload script, so the browser shows the error
        // overlay and reloads once the site builds. (The 404 page is always
        // rendered, never a static file.)
        _ => respond(
            state,
            "404.html",
            NO_SITE_YET.as_bytes(),
            StatusCode::NOT_FOUND,
            method,
        ),
    }
}

const NO_SITE_YET: &str = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>laurel</title></head>\n<body><p>The site has not been built yet: the build failed. Fix the problem and save; this page reloads by itself.</p></body></html>\n";

fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let essence = mime.essence_str();
    let texty = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            essence,
            "application/javascript" | "application/json" | "application/xml" | "image/svg+xml"
        )
        || path.ends_with(".xml");
    if path.ends_with("rss.xml") {
        "application/rss+xml; charset=utf-8".to_string()
    } else if texty {
        format!("{essence}; charset=utf-8")
    } else {
        essence.to_string()
    }
}

fn respond(
    state: &ServeState,
    path: &str,
    bytes: &[u8],
    status: StatusCode,
    method: &Method,
) -> Response {
    let body: Vec<u8> = if path.ends_with(".html") {
        let button = state.snapshot().and_then(|s| {
            let key = s.key_at(path)?;
            Some(copy_button(&state.root_path, key, &s))
        });
        inject(bytes, &state.root_path, button.as_deref())
    } else {
        bytes.to_vec()
    };
    respond_raw(body, &content_type(path), status, method)
}

/// A response of `body` as it is (nothing injected), never cached.
fn respond_raw(body: Vec<u8>, content_type: &str, status: StatusCode, method: &Method) -> Response {
    let len = body.len();
    let mut r = if *method == Method::HEAD {
        Response::new(Body::empty())
    } else {
        Response::new(Body::from(body))
    };
    *r.status_mut() = status;
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// A byte range of a file of `len` bytes asked for with `Range: bytes=...`
/// (one range; `None` for a header we do not serve by range: the whole
/// file then). `Err(())`: a range outside the file (416).
fn byte_range(header: Option<&HeaderValue>, len: u64) -> Option<Result<(u64, u64), ()>> {
    let spec = header?.to_str().ok()?.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let (a, b) = (a.trim(), b.trim());
    let range = if a.is_empty() {
        // The last `b` bytes.
        let n: u64 = b.parse().ok()?;
        if n == 0 || len == 0 {
            return Some(Err(()));
        }
        (len.saturating_sub(n), len - 1)
    } else {
        let start: u64 = a.parse().ok()?;
        let end = match b {
            "" => len.saturating_sub(1),
            b => b.parse::<u64>().ok()?.min(len.saturating_sub(1)),
        };
        if start >= len || end < start {
            return Some(Err(()));
        }
        (start, end)
    };
    Some(Ok(range))
}

/// A static file streamed from disk, as it is now: HEAD, `ETag` /
/// `If-None-Match` (304) and one `Range` (206). `None` when the file cannot
/// be opened.
async fn stream_file(
    path: &std::path::Path,
    name: &str,
    headers: &axum::http::HeaderMap,
    method: &Method,
) -> Option<Response> {
    use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _};
    let mut file = tokio::fs::File::open(path).await.ok()?;
    let md = file.metadata().await.ok()?;
    let len = md.len();
    let etag = format!("\"{:x}-{:x}\"", len, crate::hash::mtime_ns(&md));
    let mut r = Response::new(Body::empty());
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    // Revalidated each time (the ETag makes that cheap).
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        return Some(r);
    }
    if let Ok(v) = HeaderValue::from_str(&content_type(name)) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    let (status, start, count) = match byte_range(headers.get(header::RANGE), len) {
        None => (StatusCode::OK, 0, len),
        Some(Ok((a, b))) => {
            let range = format!("bytes {a}-{b}/{len}");
            if let Ok(v) = HeaderValue::from_str(&range) {
                r.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            (StatusCode::PARTIAL_CONTENT, a, b - a + 1)
        }
        Some(Err(())) => {
            *r.status_mut() = StatusCode::RANGE_NOT_SATISFIABLE;
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                r.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            return Some(r);
        }
    };
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(count));
    if *method == Method::HEAD {
        return Some(r);
    }
    if start > 0 {
        file.seek(std::io::SeekFrom::Start(start)).await.ok()?;
    }
    let stream = tokio_util::io::ReaderStream::new(file.take(count));
    *r.body_mut() = Body::from_stream(stream);
    Some(r)
}

/// The live-reload client, injected before `</body>`.
fn script(root: &str) -> String {
    format!(
        r#"<script>/* laurel live reload */(()=>{{const es=new EventSource("{root}{LIVE_PATH}");let ov=null;
const show=m=>{{if(!ov){{ov=document.createElement("div");ov.id="laurel-error";ov.setAttribute("role","alert");ov.style.cssText="position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:16px 20px;background:#1f1f1f;color:#f5f5f5;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:keep-all;overflow-wrap:normal;border-top:4px solid #e5484d";document.body.appendChild(ov);}}ov.textContent=m;}};
es.addEventListener("reload",()=>location.reload());
es.addEventListener("css",()=>{{for(const l of document.querySelectorAll('link[rel="stylesheet"]')){{const u=new URL(l.href);u.searchParams.set("laurel",Date.now());l.href=u.href;}}if(ov){{ov.remove();ov=null;}}}});
es.addEventListener("build-error",e=>show(e.data));
}})();</script>"#
    )
}

/// A string as a JavaScript literal that is safe inside `<script>`.
fn js_string(s: &str) -> String {
    serde_json::Value::from(s)
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
}

/// The 复制到公众号 button of an entry page (script, added to the reload
/// script): it puts the entry's WeChat rendition on the clipboard as rich
/// text (and its text as plain text).
fn copy_button(root: &str, key: &str, s: &Snapshot) -> String {
    const SLUG: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'/');
    let url = format!(
        "{root}{WECHAT_PATH}{}",
        percent_encoding::utf8_percent_encode(key, SLUG)
    );
    let label = js_string(&s.ui("wechat_copy", "复制到公众号"));
    let copied = js_string(&s.ui("wechat_copied", "已复制"));
    let failed = js_string(&s.ui("wechat_copy_failed", "复制失败"));
    let url = js_string(&url);
    format!(
        r#"/* laurel: copy for WeChat */(()=>{{const label={label},b=document.createElement("button");b.type="button";b.id="laurel-wechat";b.textContent=label;
b.style.cssText="position:fixed;right:16px;bottom:16px;z-index:2147483646;padding:10px 16px;border:0;border-radius:20px;background:#07c160;color:#fff;font:600 14px/1.2 system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.3);cursor:pointer";
b.addEventListener("click",async()=>{{try{{const t=fetch({url},{{cache:"no-store"}}).then(r=>{{if(!r.ok)throw new Error("HTTP "+r.status);return r.text();}});
await navigator.clipboard.write([new ClipboardItem({{"text/html":t.then(h=>new Blob([h],{{type:"text/html"}})),"text/plain":t.then(h=>new Blob([new DOMParser().parseFromString(h,"text/html").body.textContent.replace(/\n\s*\n+/g,"\n\n").trim()],{{type:"text/plain"}}))}})]);
b.textContent={copied};}}catch(e){{b.textContent={failed}+": "+e.message;}}setTimeout(()=>{{b.textContent=label;}},4000);}});
document.body.appendChild(b);}})();"#
    )
}

/// `__laurel/wechat/<entry path>`: the entry's WeChat rendition, from the last
/// good site.
async fn wechat(state: &Arc<ServeState>, key: &str, method: &Method) -> Response {
    let Some(snapshot) = state.snapshot() else {
        return not_found(state, method);
    };
    let key = key.to_string();
    // Rendering and inlining take a few milliseconds: off the I/O threads.
    let rendered = tokio::task::spawn_blocking(move || snapshot.render(&key)).await;
    match rendered {
        Ok(Some(Ok(html))) => respond_raw(
            html.into_bytes(),
            "text/html; charset=utf-8",
            StatusCode::OK,
            method,
        ),
        // A template problem of the export (the site itself built).
        Ok(Some(Err(e))) => respond_raw(
            format!("{e}\n").into_bytes(),
            "text/plain; charset=utf-8",
            StatusCode::INTERNAL_SERVER_ERROR,
            method,
        ),
        Ok(None) | Err(_) => not_found(state, method),
    }
}

fn inject(html: &[u8], root: &str, extra: Option<&str>) -> Vec<u8> {
    let mut script = script(root);
    if let Some(extra) = extra {
        // One injected script: the page is its built self plus that one.
        let end = script.len() - "</script>".len();
        script.insert_str(end, extra);
    }
    let pos = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..pos]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[pos..]);
    out
}

fn event_for(n: &Notice) -> Event {
    match n {
        Notice::Reload => Event::default().event("reload").data("reload"),
        Notice::Css => Event::default().event("css").data("css"),
        Notice::Error(e) => Event::default().event("build-error").data(e.clone()),
    }
}

fn live(
    state: &ServeState,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>> + use<>> {
    // A page opened while the build is broken shows the error at once.
    let current = state
        .last_error
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .map(Notice::Error);
    let first = tokio_stream::iter(current.map(|n| Ok(event_for(&n))));
    let rest = BroadcastStream::new(state.notices.subscribe())
        .filter_map(|n| n.ok().map(|n| Ok(event_for(&n))));
    Sse::new(first.chain(rest))
        .keep_alive(KeepAlive::new().interval(super::connections::LIVE_KEEP_ALIVE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        for p in [
            "../etc/passwd",
            "a/../../x",
            "%2e%2e/x",
            "..%2fx",
            "a/%2E%2E/b",
            "a//b",
            "./x",
            "a\\..\\b",
            "%00",
            "%zz",
            "%+1",
            "a%2",
            "%",
            "%E6%8A",
        ] {
            assert_eq!(decode_path(p), None, "{p}");
        }
        assert_eq!(
            decode_path("diary/di-yi-tian/").as_deref(),
            Some("diary/di-yi-tian/")
        );
        assert_eq!(decode_path("tags/%E6%8A%97/").as_deref(), Some("tags/抗/"));
        assert_eq!(decode_path("").as_deref(), Some(""));
    }

    #[test]
    fn content_types_carry_utf8() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("rss.xml"),
            "application/rss+xml; charset=utf-8"
        );
        assert_eq!(content_type("sitemap.xml"), "text/xml; charset=utf-8");
        assert_eq!(content_type("a.jpg"), "image/jpeg");
    }

    #[test]
    fn script_goes_before_the_last_body_tag() {
        let out =
            String::from_utf8(inject(b"<html><body><p>x</p></body></html>", "/c/", None)).unwrap();
        assert!(out.starts_with("<html><body><p>x</p><script>"));
        assert!(out.ends_with("</script></body></html>"));
        assert!(out.contains("\"/c/__laurel/live\""));
    }
}
