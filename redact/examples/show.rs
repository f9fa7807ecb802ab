//! Temporary: timing.
fn main() {
    let f = netraven_redact::SensitiveDataFilter::new();
    let corpus = std::fs::read_to_string("redact/tests/corpus/cisco_ios.txt").unwrap();
    let cases: Vec<(&str, Box<dyn Fn(usize) -> String>)> = vec![
        ("corpus", Box::new(|n| corpus.repeat(n / corpus.len() + 1))),
        ("a-line", Box::new(|n| "a".repeat(n))),
        ("password=", Box::new(|n| "password=".repeat(n / 9))),
        ("username a", Box::new(|n| "username a ".repeat(n / 11) + "password 7 x")),
        ("begin", Box::new(|n| "-----BEGIN RSA PRIVATE KEY-----".repeat(n / 31))),
        ("url@", Box::new(|n| "x://u:".to_string() + &"@a".repeat(n / 2))),
        ("submode", Box::new(|n| "tacacs server X\n".to_string() + &" address ipv4 1.2.3.4\n".repeat(n / 22) + " key 7 s\n")),
        ("eyJ", Box::new(|n| "eyJa.".repeat(n / 5))),
        ("spaces", Box::new(|n| "password ".to_string() + &" ".repeat(n) + "x")),
        ("snmphost", Box::new(|n| "snmp-server host h ".to_string() + &"traps ".repeat(n / 6))),
        ("authz", Box::new(|n| "Authorization: ".repeat(n / 15))),
        ("quotes", Box::new(|n| "password=\"".to_string() + &"\\\"".repeat(n / 2))),
        ("netrc", Box::new(|n| "machine h".to_string() + &" login u".repeat(n / 8))),
    ];
    let sizes: Vec<usize> = std::env::args().skip(1).map(|s| s.parse().unwrap()).collect();
    for (name, make) in &cases {
        let mut line = format!("{name:12}");
        for &n in &sizes {
            let text = make(n);
            let t = std::time::Instant::now();
            let out = f.redact_text(&text);
            std::hint::black_box(&out);
            line += &format!(" {:>8.1}ms", t.elapsed().as_secs_f64() * 1000.0);
        }
        println!("{line}");
    }
}
