//! Escaping user text for where it lands: HTML text and attributes, XML,
//! URL paths, JSON strings.

use std::borrow::Cow;

/// Escapes `& < > " '` — safe in HTML text, quoted attributes and XML.
/// Characters neither HTML nor XML may carry ([`unwanted`]) are written as
/// spaces, as the source files' own are read: a TOML escape
/// (`title = "A\u0001B"`) gives them after reading.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_html(&mut out, s);
    out
}

pub fn push_html(out: &mut String, s: &str) {
    // Every page's text passes through here: copy the runs between the
    // characters to replace whole. The five special ones and C0 controls are
    // ASCII, so a byte that is one of them is never inside a multi-byte
    // character; the others are told by their lead byte (0xC2 for C1
    // controls, 0xEF and 0xF0..=0xF4 for noncharacters), decoded only then.
    let bytes = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (with, len) = match b {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&#39;", 1),
            b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            0..=0x1f | 0x7f => (" ", 1),
            0xc2 | 0xef | 0xf0..=0xf4 => {
                let c = s[i..].chars().next().unwrap_or(' ');
                if !unwanted(c) {
                    i += c.len_utf8();
                    continue;
                }
                (" ", c.len_utf8())
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[run..i]);
        out.push_str(with);
        i += len;
        run = i;
    }
    out.push_str(&s[run..]);
}

/// Whether HTML and XML cannot carry `c`: a control character other than
/// tab, line feed and carriage return (C0, DEL, C1), or a noncharacter
/// (U+FDD0..U+FDEF, and the last two code points of every plane).
pub fn unwanted(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{fdd0}'..='\u{fdef}')
        || (u32::from(c) & 0xfffe) == 0xfffe
}

/// Replaces each [`unwanted`] character of `text` by as many spaces as it
/// has bytes, so that positions in it stay where they were.
pub fn blank_unwanted(text: &mut String) {
    if !text.contains(unwanted) {
        return;
    }
    *text = text
        .chars()
        .flat_map(|c| {
            let n = if unwanted(c) { c.len_utf8() } else { 0 };
            let keep = (n == 0).then_some(c);
            keep.into_iter().chain(std::iter::repeat_n(' ', n))
        })
        .collect();
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
    percent_encode(s, |b, i| {
        b[i].is_ascii_alphanumeric() || b"-._~".contains(&b[i])
    })
    .into_owned()
}

/// `s` with every byte that `keep` (given the bytes and an index) refuses
/// written `%XX`; `s` itself when it keeps them all. The one loop behind
/// every URL the site and `serve` write.
pub fn percent_encode(s: &str, keep: impl Fn(&[u8], usize) -> bool) -> Cow<'_, str> {
    let b = s.as_bytes();
    if (0..b.len()).all(|i| keep(b, i)) {
        return Cow::Borrowed(s);
    }
    let mut out = Vec::with_capacity(b.len() + 16);
    for (i, &c) in b.iter().enumerate() {
        if keep(b, i) {
            out.push(c);
        } else {
            out.extend_from_slice(format!("%{c:02X}").as_bytes());
        }
    }
    // UTF-8 unless `keep` split a character, keeping some of its bytes.
    Cow::Owned(
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

/// Whether byte `i` of `b` starts a percent escape already (`%` and two
/// hex digits), to be kept as written.
pub fn is_escape(b: &[u8], i: usize) -> bool {
    b[i] == b'%'
        && b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
        && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
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

    #[test]
    fn html_escapes_markup_and_replaces_what_html_and_xml_cannot_carry() {
        assert_eq!(
            html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(html("a\u{1}b\u{7f}c\u{85}d\te\nf\rg"), "a b c d\te\nf\rg");
        assert_eq!(
            html("x\u{fffe}\u{ffff}\u{fdd0}\u{1fffe}\u{10ffff}y"),
            "x     y"
        );
        let mut t = "a\u{1}\u{85}\u{1fffe}b".to_string();
        blank_unwanted(&mut t);
        assert_eq!(t, "a       b");
        // Neighbours of the replaced ones are kept.
        let kept = "é\u{a0}\u{fdcf}\u{fdf0}\u{fffd}\u{1f600}\u{1fffd}\u{10fffd}Ω";
        assert_eq!(html(kept), kept);
    }

    proptest::proptest! {
        #[test]
        fn html_is_text_an_xml_parser_reads_back(s in "\\PC*|[\\x00-\\x7f]*|[\\u{80}-\\u{10ffff}]*") {
            let e = html(&s);
            // Only characters XML 1.0 allows, and no markup.
            let allowed = |c: char| {
                matches!(c, '\t' | '\n' | '\r' | ' '..='\u{7e}')
                    || (c > '\u{9f}'
                        && !matches!(c, '\u{fdd0}'..='\u{fdef}')
                        && (u32::from(c) & 0xfffe) != 0xfffe)
            };
            proptest::prop_assert!(e.chars().all(allowed));
            proptest::prop_assert!(!e.contains(unwanted));
            proptest::prop_assert!(!e.contains(['<', '>', '"', '\'']));
            // Every character that needs no replacing reads back as it was.
            let back = e.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
            proptest::prop_assert_eq!(back.chars().count(), s.chars().count());
        }

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
