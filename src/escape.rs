//! Escaping user text for where it lands: HTML text and attributes, XML,
//! URL paths, JSON strings.

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

/// Appends `s` as a quoted JSON string, escaped as serde_json escapes it
/// (`"`, `\\`, control characters) and `<`, `>`, `&` as `\u003c`,
/// `\u003e`, `\u0026`: the same string to a JSON parser, and safe should
/// the data ever be inlined into an HTML page. Runs between escapes are
/// copied whole, as in [`push_html`].
pub fn push_json(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'<' | b'>' | b'&' | 0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[run..i]);
        if short.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.extend_from_slice(short);
        }
        run = i + 1;
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
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

    fn json(s: &str) -> String {
        let mut out = Vec::new();
        push_json(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn json_strings_escape_markup_quotes_and_controls() {
        assert_eq!(
            json("<a href=\"x\">&\\\n\u{1}é</a>"),
            r#""\u003ca href=\"x\"\u003e\u0026\\\n\u0001é\u003c/a\u003e""#
        );
    }

    proptest::proptest! {
        #[test]
        fn json_strings_read_back_as_written(s in "\\PC*|[\\x00-\\x7f]*") {
            let j = json(&s);
            proptest::prop_assert_eq!(serde_json::from_str::<String>(&j).unwrap(), s.clone());
            proptest::prop_assert!(!j.contains(['<', '>', '&']));
            // Everything but the three markup characters as serde_json writes it.
            let serde = serde_json::to_string(&s).unwrap()
                .replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026");
            proptest::prop_assert_eq!(j, serde);
        }
    }

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
