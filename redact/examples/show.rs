//! Temporary: prints redacted files.
fn main() {
    let f = netraven_redact::SensitiveDataFilter::new();
    for p in std::env::args().skip(1) {
        let t = std::fs::read_to_string(&p).unwrap();
        print!("{}", f.redact_text(&t));
    }
}
