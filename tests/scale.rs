//! Correctness at scale (not timed): a generated archive of a few hundred
//! articles builds, every internal link and fragment resolves, and the
//! mention counts in entities.json equal what the generator planted.

mod harness;
use harness::*;

#[path = "../examples/gen_archive.rs"]
#[allow(dead_code)]
mod gen;

#[test]
fn a_generated_archive_has_exactly_the_mentions_planted() {
    let site = Site::empty();
    let opts = gen::Options {
        articles: 300,
        entities: 120,
        seed: 7,
        out: site.root().to_path_buf(),
        hugo: None,
    };
    let expected = gen::generate(&opts).unwrap();
    let run = site.build(&[]);
    run.assert_ok();
    let v: serde_json::Value = serde_json::from_str(&run.page("entities.json")).unwrap();
    let mut got: gen::Expected = Default::default();
    for e in v["entities"].as_array().unwrap() {
        for a in e["articles"].as_array().unwrap() {
            let n = a["mentions"].as_array().unwrap().len();
            got.entry(e["id"].as_str().unwrap().to_string())
                .or_default()
                .insert(a["slug"].as_str().unwrap().to_string(), n);
        }
    }
    assert_eq!(got, expected);
    run.assert_links_resolve("/");
    // A sidecar and footnotes were among what was planted.
    assert!(walkdir::WalkDir::new(site.root())
        .into_iter()
        .flatten()
        .any(|e| e
            .file_name()
            .to_string_lossy()
            .ends_with(".annotations.toml")));
}
