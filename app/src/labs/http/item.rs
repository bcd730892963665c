//! The practice API's one resource, an item, and the reading of request
//! bodies into one: what is malformed (400) and what is invalid (422, with
//! a message per field). Pure functions, tested below.

use serde::Serialize;
use serde_json::{Map, Value};

use super::respond::FieldError;

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_QUANTITY: i64 = 1_000_000;

/// An item as stored; `etag` is not part of its JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Item {
    pub id: i64,
    pub name: String,
    pub quantity: i64,
    #[serde(skip)]
    pub etag: String,
}

/// An item's fields, as a request sets them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fields {
    pub name: String,
    pub quantity: i64,
}

/// Why a body is not an item.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Not JSON at all (400), with a sentence.
    Malformed(String),
    /// JSON, but not a valid item (422).
    Invalid(Vec<FieldError>),
}

/// A whole item (POST, PUT): both fields required.
pub fn full(body: &[u8]) -> Result<Fields, BodyError> {
    let object = object(body)?;
    let mut errors = Vec::new();
    let name = name(object.get("name"), &mut errors);
    let quantity = quantity(object.get("quantity"), &mut errors);
    unknown_fields(&object, &mut errors);
    match (name, quantity) {
        (Some(name), Some(quantity)) if errors.is_empty() => Ok(Fields { name, quantity }),
        _ => Err(BodyError::Invalid(errors)),
    }
}

/// A JSON merge patch (RFC 7396) over `current`: the fields present
/// replace the current ones; `null` would remove a field, which an item
/// cannot lose.
pub fn merge_patch(body: &[u8], current: &Item) -> Result<Fields, BodyError> {
    let object = object(body)?;
    let mut errors = Vec::new();
    let mut fields = Fields {
        name: current.name.clone(),
        quantity: current.quantity,
    };
    if let Some(v) = object.get("name") {
        if let Some(n) = name(Some(v), &mut errors) {
            fields.name = n;
        }
    }
    if let Some(v) = object.get("quantity") {
        if let Some(q) = quantity(Some(v), &mut errors) {
            fields.quantity = q;
        }
    }
    unknown_fields(&object, &mut errors);
    if errors.is_empty() {
        Ok(fields)
    } else {
        Err(BodyError::Invalid(errors))
    }
}

fn object(body: &[u8]) -> Result<Map<String, Value>, BodyError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(BodyError::Malformed(
            "The body is empty; send the item as JSON, for example {\"name\": \"pen\", \"quantity\": 3}.".into(),
        ));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(BodyError::Invalid(vec![FieldError::new(
            "",
            "the body must be a JSON object, such as {\"name\": \"pen\", \"quantity\": 3}",
        )])),
        Err(e) => Err(BodyError::Malformed(format!(
            "The body is not valid JSON: {e}."
        ))),
    }
}

fn name(v: Option<&Value>, errors: &mut Vec<FieldError>) -> Option<String> {
    let message = match v {
        None => "is required",
        Some(Value::Null) => "cannot be null",
        Some(Value::String(s)) => match s.chars().count() {
            0 => "must not be empty",
            n if n > MAX_NAME_CHARS => "must be at most 100 characters",
            _ => return Some(s.clone()),
        },
        Some(_) => "must be a string",
    };
    errors.push(FieldError::new("name", message));
    None
}

fn quantity(v: Option<&Value>, errors: &mut Vec<FieldError>) -> Option<i64> {
    let message = match v {
        None => "is required",
        Some(Value::Null) => "cannot be null",
        Some(Value::Number(n)) => match n.as_i64() {
            Some(q) if (0..=MAX_QUANTITY).contains(&q) => return Some(q),
            Some(_) => "must be between 0 and 1000000",
            None if n.is_f64() => "must be a whole number",
            None => "must be between 0 and 1000000",
        },
        Some(_) => "must be a number",
    };
    errors.push(FieldError::new("quantity", message));
    None
}

fn unknown_fields(object: &Map<String, Value>, errors: &mut Vec<FieldError>) {
    for key in object.keys() {
        let message = match key.as_str() {
            "name" | "quantity" => continue,
            "id" => "is set by the server and cannot be sent",
            _ => "is not a field of an item (only name and quantity are)",
        };
        errors.push(FieldError::new(key, message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields_of(e: BodyError) -> Vec<(String, String)> {
        match e {
            BodyError::Invalid(v) => v.into_iter().map(|f| (f.field, f.message)).collect(),
            BodyError::Malformed(m) => panic!("malformed: {m}"),
        }
    }

    #[test]
    fn a_whole_item() {
        let ok = full(br#"{"name": "pen", "quantity": 3}"#).unwrap();
        assert_eq!(ok.name, "pen");
        assert_eq!(ok.quantity, 3);
        assert!(matches!(full(b"{"), Err(BodyError::Malformed(_))));
        assert!(matches!(full(b"  "), Err(BodyError::Malformed(_))));
        let e = fields_of(full(br#"{"name": "", "quantity": 1.5, "id": 4}"#).unwrap_err());
        assert_eq!(
            e,
            vec![
                ("name".into(), "must not be empty".into()),
                ("quantity".into(), "must be a whole number".into()),
                (
                    "id".into(),
                    "is set by the server and cannot be sent".into()
                ),
            ]
        );
        let e = fields_of(full(br#"{"quantity": 1000001}"#).unwrap_err());
        assert_eq!(e[0], ("name".into(), "is required".into()));
        assert_eq!(e[1].1, "must be between 0 and 1000000");
        let long = format!(r#"{{"name": "{}", "quantity": 0}}"#, "é".repeat(100));
        assert!(full(long.as_bytes()).is_ok(), "100 characters, not bytes");
        let long = format!(r#"{{"name": "{}", "quantity": 0}}"#, "a".repeat(101));
        assert!(full(long.as_bytes()).is_err());
        assert!(full(br#"{"name": "x", "quantity": -1}"#).is_err());
        assert!(full(br#"{"name": "x", "quantity": "3"}"#).is_err());
        assert_eq!(fields_of(full(b"[1]").unwrap_err())[0].0, "");
    }

    #[test]
    fn a_merge_patch() {
        let current = Item {
            id: 1,
            name: "pen".into(),
            quantity: 3,
            etag: "x".into(),
        };
        let f = merge_patch(br#"{"quantity": 7}"#, &current).unwrap();
        assert_eq!((f.name.as_str(), f.quantity), ("pen", 7));
        let f = merge_patch(b"{}", &current).unwrap();
        assert_eq!((f.name.as_str(), f.quantity), ("pen", 3));
        let e = fields_of(merge_patch(br#"{"name": null}"#, &current).unwrap_err());
        assert_eq!(e, vec![("name".into(), "cannot be null".into())]);
    }
}
