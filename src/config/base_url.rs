//! `base_url:` in site.yaml, checked and written one way.

use crate::diag::Msg;

/// `https://Example.org/column` → (`https://example.org/column/`, `/column/`).
pub fn normalize_base_url(s: &str) -> Result<(String, String), Msg> {
    let s = s.trim();
    let rest = s
        .strip_prefix("https://")
        .map(|r| ("https://", r))
        .or_else(|| s.strip_prefix("http://").map(|r| ("http://", r)));
    let Some((scheme, rest)) = rest else {
        return Err(Msg::new(
            format!("base_url `{s}` must start with http:// or https://"),
            format!("base_url `{s}` 必须以 http:// 或 https:// 开头"),
        ));
    };
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() || host.contains(|c: char| c.is_whitespace() || "?#@\\\"<>".contains(c)) {
        return Err(Msg::new(
            format!("base_url `{s}` has no valid host"),
            format!("base_url `{s}` 没有有效的主机名"),
        ));
    }
    if path.contains(['?', '#', ' ', '"', '<', '>', '\\']) || path.split('/').any(|seg| seg == "..")
    {
        return Err(Msg::new(
            format!("base_url `{s}` has an invalid path"),
            format!("base_url `{s}` 的路径无效"),
        ));
    }
    let mut path = path.to_string();
    if !path.ends_with('/') {
        path.push('/');
    }
    while path.contains("//") {
        path = path.replace("//", "/");
    }
    Ok((format!("{scheme}{}{path}", host.to_ascii_lowercase()), path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_normalization() {
        assert_eq!(
            normalize_base_url("https://Example.org/column").unwrap(),
            ("https://example.org/column/".into(), "/column/".into())
        );
        assert_eq!(
            normalize_base_url("http://localhost:1111").unwrap(),
            ("http://localhost:1111/".into(), "/".into())
        );
        assert_eq!(
            normalize_base_url("example.org").unwrap_err().en,
            "base_url `example.org` must start with http:// or https://"
        );
        assert!(normalize_base_url("https://a.org/../x").is_err());
    }
}
