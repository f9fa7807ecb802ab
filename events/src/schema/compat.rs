//! Decides whether a new JSON Schema breaks readers or writers of an already published one.
//!
//! Breaking: a property removed, a property newly required, a type changed, an enum value or a
//! `const` removed or changed, a `$defs` entry removed. Allowed: new optional properties, new
//! enum values and new definitions (readers must tolerate what they do not know).

use serde_json::Value;

/// The reasons `new` breaks compatibility with `old` (empty when it does not).
pub fn breaking_changes(old: &Value, new: &Value) -> Vec<String> {
    let mut reasons = Vec::new();
    compare(old, new, "#", &mut reasons);
    reasons
}

fn compare(old: &Value, new: &Value, at: &str, reasons: &mut Vec<String>) {
    if old.get("type") != new.get("type") {
        reasons.push(format!("{at}: type changed from {} to {}", show(old.get("type")), show(new.get("type"))));
    }
    if old.get("const") != new.get("const") {
        reasons.push(format!("{at}: const changed from {} to {}", show(old.get("const")), show(new.get("const"))));
    }
    if old.get("$ref") != new.get("$ref") {
        reasons.push(format!("{at}: reference changed from {} to {}", show(old.get("$ref")), show(new.get("$ref"))));
    }
    let new_enum = array(new, "enum");
    for value in array(old, "enum") {
        if !new_enum.contains(&value) {
            reasons.push(format!("{at}: enum value {value} removed"));
        }
    }
    let old_required = array(old, "required");
    for name in array(new, "required") {
        if !old_required.contains(&name) {
            reasons.push(format!("{at}: property {name} became required"));
        }
    }
    for key in ["properties", "$defs"] {
        if let Some(old_map) = old.get(key).and_then(Value::as_object) {
            for (name, old_sub) in old_map {
                let path = format!("{at}/{key}/{name}");
                match new.get(key).and_then(|m| m.get(name)) {
                    Some(new_sub) => compare(old_sub, new_sub, &path, reasons),
                    None => reasons.push(format!("{path}: removed")),
                }
            }
        }
    }
    if let (Some(old_items), Some(new_items)) = (old.get("items"), new.get("items")) {
        compare(old_items, new_items, &format!("{at}/items"), reasons);
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        let (old_list, new_list) = (array(old, key), array(new, key));
        for (i, old_sub) in old_list.iter().enumerate() {
            match new_list.get(i) {
                Some(new_sub) => compare(old_sub, new_sub, &format!("{at}/{key}/{i}"), reasons),
                None => reasons.push(format!("{at}/{key}/{i}: alternative removed")),
            }
        }
    }
}

fn array(schema: &Value, key: &str) -> Vec<Value> {
    schema.get(key).and_then(Value::as_array).cloned().unwrap_or_default()
}

fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "nothing".to_string(), Value::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(props: Value, required: Value) -> Value {
        json!({"type": "object", "properties": props, "required": required})
    }

    #[test]
    fn identical_and_additive_changes_are_allowed() {
        let old = schema(json!({"a": {"type": "string"}}), json!(["a"]));
        assert!(breaking_changes(&old, &old).is_empty());
        let added = schema(json!({"a": {"type": "string"}, "b": {"type": "integer"}}), json!(["a"]));
        assert!(breaking_changes(&old, &added).is_empty());
        let more_enum = json!({"enum": ["x", "y", "z"]});
        assert!(breaking_changes(&json!({"enum": ["x", "y"]}), &more_enum).is_empty());
    }

    #[test]
    fn removals_new_requirements_and_type_changes_break() {
        let old = schema(json!({"a": {"type": "string"}, "b": {"type": "integer"}}), json!(["a"]));
        let removed = schema(json!({"a": {"type": "string"}}), json!(["a"]));
        assert_eq!(breaking_changes(&old, &removed), vec!["#/properties/b: removed"]);
        let required = schema(json!({"a": {"type": "string"}, "b": {"type": "integer"}}), json!(["a", "b"]));
        assert_eq!(breaking_changes(&old, &required), vec!["#: property \"b\" became required"]);
        let retyped = schema(json!({"a": {"type": "integer"}, "b": {"type": "integer"}}), json!(["a"]));
        assert_eq!(breaking_changes(&old, &retyped).len(), 1);
        let fewer_enum = json!({"enum": ["x"]});
        assert_eq!(breaking_changes(&json!({"enum": ["x", "y"]}), &fewer_enum).len(), 1);
    }

    #[test]
    fn nested_definitions_are_compared() {
        let old = json!({"$defs": {"Inner": schema(json!({"n": {"type": "integer"}}), json!([]))}});
        let new = json!({"$defs": {"Inner": schema(json!({"n": {"type": "string"}}), json!([]))}});
        let reasons = breaking_changes(&old, &new);
        assert_eq!(reasons.len(), 1, "{reasons:?}");
        assert!(reasons[0].starts_with("#/$defs/Inner/properties/n"));
    }
}
