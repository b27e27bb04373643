//! Stage 3, render: annotated Markdown to HTML ([`markdown`]), code
//! highlighting ([`highlight`]) and the Tera theme ([`theme`]).

pub mod highlight;
pub mod markdown;
pub mod theme;
