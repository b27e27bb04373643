//! Stage 3, render: annotated Markdown to HTML ([`markdown`]), code
//! highlighting ([`highlight`]), the Tera theme ([`theme`]) and its words in
//! the site's language ([`words`]), and which URLs written in Markdown are
//! kept ([`url`]).

pub mod highlight;
pub mod markdown;
pub mod theme;
pub mod url;
pub mod words;
