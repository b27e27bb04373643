//! Macros and included templates that call themselves whatever the
//! values: Tera 1 has no recursion limit, and one such call crashes the
//! build with a stack overflow. Takes the templates' sources, reports each
//! such cycle as an error at its definition or include.

use super::template_errors::Needle;
use super::template_tags::{spans, tags, word_before, Tag};
use crate::diagnostics::Diagnostics;
use crate::diagnostics::{Diagnostic, Severity};
use std::path::PathBuf;
/// Reports the macros and included templates that call themselves, or
/// each other, whatever the values: those never end, and Tera 1 has no
/// recursion limit, so the first page calling one would crash the process
/// with a stack overflow. False when there are any.
///
/// Only what runs whatever the values is followed (not the inside of an
/// `if` or a `for`), so a recursion that stops on some values (a tree
/// walked down) is not reported, nor is one whose stop is never reached.
/// A macro is known by its name, and followed only when one template
/// defines it: a call to it can then only run it or fail.
pub(super) fn endless_recursion(
    sources: &[(String, String, PathBuf)],
    diags: &mut Diagnostics,
) -> bool {
    #[derive(Clone, PartialEq)]
    enum Node {
        Macro(usize, String),
        Template(usize),
    }
    let parsed: Vec<Option<tera::Template>> = sources
        .iter()
        .map(|(n, s, _)| tera::Template::new(n, None, s).ok())
        .collect();
    let mut nodes: Vec<Node> = Vec::new();
    let mut runs: Vec<Always> = Vec::new();
    for (t, tpl) in parsed.iter().enumerate() {
        let Some(tpl) = tpl else { continue };
        nodes.push(Node::Template(t));
        let mut a = Always::default();
        // A template that extends another is rendered as its parent with
        // its blocks; included, it fails at once.
        if tpl.parent.is_none() {
            a.nodes(&tpl.ast);
        }
        runs.push(a);
        let mut names: Vec<&String> = tpl.macros.keys().collect();
        names.sort();
        for name in names {
            nodes.push(Node::Macro(t, name.clone()));
            let mut a = Always::default();
            a.nodes(&tpl.macros[name].body);
            runs.push(a);
        }
    }
    let macro_node = |name: &str| {
        let mut defs = nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| matches!(n, Node::Macro(_, m) if m == name));
        match (defs.next(), defs.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    };
    let template_node = |names: &[String]| {
        // `{% include ["a", "b"] %}` renders the first that exists.
        let t = names
            .iter()
            .find_map(|n| sources.iter().position(|(s, _, _)| s == n))?;
        nodes.iter().position(|n| *n == Node::Template(t))
    };
    let edges: Vec<Vec<usize>> = runs
        .iter()
        .map(|a| {
            a.macros
                .iter()
                .filter_map(|m| macro_node(m))
                .chain(a.includes.iter().filter_map(|i| template_node(i)))
                .collect()
        })
        .collect();
    let name = |n: &Node| match n {
        Node::Macro(_, m) => format!("macro `{m}`"),
        Node::Template(t) => format!("template `{}`", sources[*t].0),
    };
    // Each cycle once, from its first node.
    let mut reported = vec![false; nodes.len()];
    let mut ok = true;
    for start in 0..nodes.len() {
        if reported[start] {
            continue;
        }
        let Some(cycle) = cycle_from(start, &edges) else {
            continue;
        };
        let first = &nodes[start];
        let (t, at) = match first {
            Node::Macro(t, m) => {
                let text = &sources[*t].1;
                (*t, macro_definition(tags(text, &spans(text)), m))
            }
            Node::Template(t) => {
                let next = &nodes[cycle[1 % cycle.len()]];
                let needle = match next {
                    Node::Template(n) => Needle::Include(sources[*n].0.clone()),
                    Node::Macro(_, m) => Needle::MacroCall(None, m.clone()),
                };
                let text = &sources[*t].1;
                let at = needle.find(tags(text, &spans(text)), &[]);
                (*t, at)
            }
        };
        let verb = |to: usize| match nodes[to] {
            Node::Macro(..) => "calls",
            Node::Template(_) => "includes",
        };
        let mut how = name(first);
        if cycle.len() == 1 {
            how += &format!(" {} itself", verb(start));
        } else {
            for (k, &i) in cycle.iter().enumerate().skip(1).chain([(0, &start)]) {
                let which = if k == 1 { "" } else { ", which" };
                how += &format!("{which} {} {}", verb(i), name(&nodes[i]));
            }
        }
        let message = format!(
            "{how}, whatever the values (not under an `if` or a `for`): this never ends, \
             and would crash the build with a stack overflow"
        );
        let (_, text, path) = &sources[t];
        diags.push(match at {
            Some(at) => Diagnostic::error_at(path, text, at, message),
            None => Diagnostic::file(Severity::Error, path, message),
        });
        for i in cycle {
            reported[i] = true;
        }
        ok = false;
    }
    ok
}

/// A path of `edges` from `start` back to it, `start` first, if any.
pub(super) fn cycle_from(start: usize, edges: &[Vec<usize>]) -> Option<Vec<usize>> {
    // Depth first, each node once: (node, next edge to try).
    let mut seen = vec![false; edges.len()];
    let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
    seen[start] = true;
    while let Some(&mut (node, ref mut next)) = stack.last_mut() {
        let Some(&to) = edges[node].get(*next) else {
            stack.pop();
            continue;
        };
        *next += 1;
        if to == start {
            return Some(stack.iter().map(|&(n, _)| n).collect());
        }
        if !seen[to] {
            seen[to] = true;
            stack.push((to, 0));
        }
    }
    None
}

/// The macros a template or macro body calls and the templates it includes
/// whatever the values: outside `if`, `for` and blocks, and not in the
/// value of a `default` filter.
#[derive(Default)]
pub(super) struct Always {
    pub(super) macros: Vec<String>,
    pub(super) includes: Vec<Vec<String>>,
}

impl Always {
    pub(super) fn nodes(&mut self, nodes: &[tera::ast::Node]) {
        use tera::ast::Node;
        for n in nodes {
            match n {
                Node::VariableBlock(_, e) => self.expr(e),
                Node::Set(_, set) => self.expr(&set.value),
                Node::FilterSection(_, section, _) => {
                    self.nodes(&section.body);
                    self.call(&section.filter);
                }
                Node::Include(_, names, _) => self.includes.push(names.clone()),
                _ => {}
            }
        }
    }

    pub(super) fn expr(&mut self, e: &tera::ast::Expr) {
        use tera::ast::ExprVal;
        match &e.val {
            // Its arguments are evaluated only if the macro declares them.
            ExprVal::MacroCall(call) => self.macros.push(call.name.clone()),
            ExprVal::FunctionCall(call) => self.call(call),
            ExprVal::Array(items) => items.iter().for_each(|i| self.expr(i)),
            _ => {}
        }
        for f in &e.filters {
            self.call(f);
        }
    }

    /// The arguments of a function or filter call.
    pub(super) fn call(&mut self, call: &tera::ast::FunctionCall) {
        if call.name != "default" {
            let mut args: Vec<_> = call.args.iter().collect();
            args.sort_by(|a, b| a.0.cmp(b.0));
            for (_, e) in args {
                self.expr(e);
            }
        }
    }
}

/// Where the name of `{% macro NAME(…) %}` is in the template of `tags`.
pub(super) fn macro_definition<'s>(
    mut tags: impl Iterator<Item = Tag<'s>>,
    name: &str,
) -> Option<usize> {
    tags.find_map(|t| {
        if t.expr || t.first_word() != "macro" {
            return None;
        }
        let k = t.tokens(name).next()?;
        (t.prev_word(k) == "macro").then_some(t.at + k)
    })
}

/// The `{% import "FILE" as NS %}` of a template: (FILE, NS).
pub(super) fn imports<'s>(tags: impl Iterator<Item = Tag<'s>>) -> Vec<(String, String)> {
    tags.filter(|t| !t.expr && t.first_word() == "import")
        .filter_map(|t| {
            let file = t.literals().next()?;
            let ns = word_before(t.inner.trim_end_matches('-').trim_end());
            Some((file.to_string(), ns.to_string()))
        })
        .collect()
}
