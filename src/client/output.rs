//! Printing answers: aligned tables for people, the raw JSON for scripts.

use serde_json::Value;

/// One table column: its heading and the JSON pointer of its value in each row.
pub type Column<'a> = (&'a str, &'a str);

/// A JSON value as a table cell: strings unquoted, lists comma-separated, nothing as `-`.
pub fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "-".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) if items.is_empty() => "-".into(),
        Some(Value::Array(items)) => items.iter().map(|i| cell(Some(i))).collect::<Vec<_>>().join(","),
        Some(other) => other.to_string(),
    }
}

/// Prints `rows` as an aligned table with `columns`, or a note when there are none.
pub fn table(columns: &[Column], rows: &[Value]) {
    if rows.is_empty() {
        println!("(none)");
        return;
    }
    let cells: Vec<Vec<String>> = rows.iter().map(|row| columns.iter().map(|(_, ptr)| clip(cell(row.pointer(ptr)))).collect()).collect();
    let widths: Vec<usize> = columns.iter().enumerate().map(|(i, (h, _))| cells.iter().map(|r| r[i].chars().count()).chain([h.len()]).max().unwrap_or(0)).collect();
    let line = |items: Vec<&str>| {
        let padded: Vec<String> = items.iter().zip(&widths).map(|(s, w)| format!("{s:<w$}")).collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(columns.iter().map(|(h, _)| *h).collect());
    for row in &cells {
        line(row.iter().map(String::as_str).collect());
    }
}

/// A table cell on one line, cut at 100 characters.
fn clip(text: String) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(100) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line,
    }
}

/// Prints `value` as `key: value` lines, one per field in `fields`.
pub fn record(fields: &[Column], value: &Value) {
    let width = fields.iter().map(|(h, _)| h.len()).max().unwrap_or(0);
    for (heading, ptr) in fields {
        println!("{:<width$}  {}", format!("{heading}:"), cell(value.pointer(ptr)), width = width + 1);
    }
}

/// Prints JSON, pretty.
pub fn json(value: &Value) {
    println!("{value:#}");
}

/// Prints a page's items as a table (with how to get the next page), or the raw page as JSON.
pub fn page(as_json: bool, columns: &[Column], page: &Value) {
    if as_json {
        return json(page);
    }
    table(columns, page["items"].as_array().map(Vec::as_slice).unwrap_or_default());
    if let Some(cursor) = page["next_cursor"].as_str() {
        println!("(more: add --cursor {cursor})");
    }
}
