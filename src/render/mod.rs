//! Stage 3, render: annotated Markdown to HTML ([`markdown`]), code
//! highlighting ([`highlight`]), the Tera theme ([`theme`]) and its words in
//! the site's language ([`words`]), and which URLs written in Markdown are
//! kept ([`url`]). Behind the theme: the tags of a template's text
//! ([`template_tags`]), where in it a render error is
//! ([`template_errors`]), and the calls that would never end
//! ([`template_recursion`]).

pub mod highlight;
pub mod markdown;
mod template_errors;
mod template_recursion;
mod template_tags;
pub mod theme;
pub mod url;
pub mod words;
