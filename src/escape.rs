//! Escaping user text for where it lands: HTML text and attributes, XML,
//! URL paths. (JSON goes through serde_json.)

/// Escapes `& < > " '` — safe in HTML text, quoted attributes and XML.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_html(&mut out, s);
    out
}

pub fn push_html(out: &mut String, s: &str) {
    // Every page's text passes through here: copy the runs between the five
    // special characters whole. They are ASCII, so a byte that is one of
    // them is never inside a multi-byte character, and the runs are `str`s.
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        out.push_str(entity);
        run = i + 1;
    }
    out.push_str(&s[run..]);
}

/// Percent-encodes one URL path segment: everything but unreserved ASCII.
pub fn url_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes; `None` if malformed or not UTF-8.
pub fn url_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            html("<script>\"a\" & 'b'"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;"
        );
    }

    #[test]
    fn text_around_and_between_escapes_is_kept_whole() {
        assert_eq!(html(""), "");
        assert_eq!(html("Peña Nieto"), "Peña Nieto");
        assert_eq!(
            html("“AMLO” & <Sheinbaum>"),
            "“AMLO” &amp; &lt;Sheinbaum&gt;"
        );
        assert_eq!(html("&&é'"), "&amp;&amp;é&#39;");
    }

    #[test]
    fn url_segments_round_trip() {
        let s = "méxico y/o?#";
        let e = url_segment(s);
        assert_eq!(e, "m%C3%A9xico%20y%2Fo%3F%23");
        assert_eq!(url_decode(&e).as_deref(), Some(s));
        assert_eq!(url_decode("%zz"), None);
    }
}
