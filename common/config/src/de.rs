//! A serde `Deserializer` over positioned [`Element`]s, so the typed models decode straight
//! from the parse tree and every error carries the position and the map name Kea reports.
//!
//! Typing is as strict as Kea's grammar: integers only where integers go (no floats), floats
//! only as float literals (`1` is not a valid `t1-percent`), `null` nowhere but free-form
//! data, and a map given under a key (not as a list item) must not be empty.

use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use crate::error::ConfigError;
use crate::json::{Element, Location, MapEntry, Value};

/// Decodes `T` from `e`; `name` is the map name used in messages (`Dhcp4`).
pub(crate) fn from_element<T: de::DeserializeOwned>(
    e: &Element,
    name: &str,
) -> Result<T, ConfigError> {
    let de = ElementDe {
        e,
        name,
        list_item: false,
    };
    T::deserialize(de).map_err(|err| err.into_config_error(e, name))
}

/// The width in bytes of the token an element came from (approximately, for messages).
pub(crate) fn token_width(e: &Element) -> u32 {
    let w = match &e.value {
        Value::Null => 4,
        Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Int(i) => i.to_string().len(),
        Value::Float(f) => f.to_string().len(),
        Value::String(s) => s.len() + 2,
        Value::List(_) | Value::Map(_) => 1,
    };
    u32::try_from(w).unwrap_or(u32::MAX)
}

/// The location of an element's token.
pub(crate) fn location(e: &Element) -> Location {
    Location::new(e.pos.clone(), token_width(e))
}

/// What went wrong, before it is tied to a position.
#[derive(Debug)]
enum Kind {
    Custom(String),
    Syntax {
        found: String,
        expecting: Option<String>,
    },
    OutOfRange {
        value: String,
        expected: String,
    },
    UnknownVariant {
        variant: String,
        expected: &'static [&'static str],
    },
    Unsupported {
        value: String,
        expected: String,
    },
    UnknownField(String),
    MissingField(&'static str),
}

/// The serde error of [`ElementDe`]; gets its position on the way out.
#[derive(Debug)]
pub(crate) struct DeError {
    kind: Kind,
    at: Option<Location>,
    context: Option<String>,
}

impl DeError {
    fn new(kind: Kind) -> Self {
        Self {
            kind,
            at: None,
            context: None,
        }
    }

    fn locate(mut self, at: Location, context: &str) -> Self {
        if self.at.is_none() {
            self.at = Some(at);
            self.context = Some(context.to_string());
        }
        self
    }

    fn into_config_error(self, root: &Element, root_name: &str) -> ConfigError {
        let at = self.at.unwrap_or_else(|| location(root));
        let context = self.context.unwrap_or_else(|| root_name.to_string());
        match self.kind {
            Kind::Unsupported { value, expected } => ConfigError::Unsupported {
                at: at.pos,
                param: context,
                value,
                expected,
            },
            Kind::Custom(message) => ConfigError::Decode {
                at: at.pos,
                message,
            },
            Kind::Syntax { found, expecting } => ConfigError::Syntax {
                at,
                found,
                expecting,
            },
            Kind::OutOfRange { value, expected } => ConfigError::OutOfRange {
                at: at.pos,
                param: context,
                value,
                expected,
            },
            Kind::UnknownVariant { variant, expected } => {
                let _ = variant;
                ConfigError::Syntax {
                    at,
                    found: "constant string".to_string(),
                    expecting: Some(expected.join(" or ")),
                }
            }
            Kind::UnknownField(key) => ConfigError::UnknownKeyword { at, key, context },
            Kind::MissingField(name) => ConfigError::MissingParameter {
                name: name.to_string(),
                at: at.pos,
                context,
            },
        }
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.kind)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self::new(Kind::Custom(msg.to_string()))
    }

    fn invalid_type(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Self::new(Kind::Syntax {
            found: unexpected_name(&unexp).to_string(),
            expecting: Some(exp.to_string()),
        })
    }

    fn invalid_value(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        let expected = exp.to_string();
        let range = match expected.as_str() {
            "u8" => Some("0..255"),
            "u16" => Some("0..65535"),
            "u32" => Some("0..4294967295"),
            "u64" => Some("0..18446744073709551615"),
            "i8" => Some("-128..127"),
            "i16" => Some("-32768..32767"),
            "i32" => Some("-2147483648..2147483647"),
            _ => None,
        };
        if let de::Unexpected::Str(s) = unexp {
            return Self::new(Kind::Unsupported {
                value: s.to_string(),
                expected,
            });
        }
        let value = match unexp {
            de::Unexpected::Signed(v) => v.to_string(),
            de::Unexpected::Unsigned(v) => v.to_string(),
            de::Unexpected::Float(v) => v.to_string(),
            other => other.to_string(),
        };
        Self::new(Kind::OutOfRange {
            value,
            expected: range.map_or(expected, str::to_string),
        })
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Self::new(Kind::UnknownVariant {
            variant: variant.to_string(),
            expected,
        })
    }

    fn unknown_field(field: &str, _expected: &'static [&'static str]) -> Self {
        Self::new(Kind::UnknownField(field.to_string()))
    }

    fn missing_field(field: &'static str) -> Self {
        Self::new(Kind::MissingField(field))
    }
}

fn unexpected_name(u: &de::Unexpected<'_>) -> &'static str {
    match u {
        de::Unexpected::Bool(_) => "boolean",
        de::Unexpected::Signed(_) | de::Unexpected::Unsigned(_) => "integer",
        de::Unexpected::Float(_) => "floating point",
        de::Unexpected::Str(_) | de::Unexpected::Char(_) => "constant string",
        de::Unexpected::Unit => "null",
        de::Unexpected::Seq => "[",
        de::Unexpected::Map => "{",
        _ => "value",
    }
}

/// The map name Kea uses for the items of a list under `key`.
fn item_context(key: &str) -> &str {
    match key {
        "hosts-databases" => "hosts-database",
        "config-databases" => "config-database",
        other => other,
    }
}

/// Deserializes one element; `name` is the key it sits under (or its list's key).
#[derive(Clone, Copy)]
struct ElementDe<'a> {
    e: &'a Element,
    name: &'a str,
    list_item: bool,
}

impl<'a> ElementDe<'a> {
    fn mismatch(&self, expecting: &str) -> DeError {
        DeError::new(Kind::Syntax {
            found: self.e.kind_name().to_string(),
            expecting: Some(expecting.to_string()),
        })
        .locate(location(self.e), self.name)
    }

    fn locate(&self, err: DeError) -> DeError {
        err.locate(location(self.e), self.name)
    }

    fn int(&self) -> Result<i64, DeError> {
        match self.e.value {
            Value::Int(i) => Ok(i),
            _ => Err(self.mismatch("integer")),
        }
    }

    fn map(&self) -> Result<MapAccess<'a>, DeError> {
        match &self.e.value {
            Value::Map(entries) => Ok(MapAccess {
                entries: entries.iter(),
                value: None,
                context: if self.list_item {
                    item_context(self.name)
                } else {
                    self.name
                },
            }),
            _ => Err(self.mismatch("{")),
        }
    }
}

macro_rules! int_method {
    ($method:ident, $visit:ident) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            let i = self.int()?;
            visitor.$visit(i).map_err(|e| self.locate(e))
        }
    };
}

impl<'de, 'a> de::Deserializer<'de> for ElementDe<'a> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match &self.e.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Int(i) => visitor.visit_i64(*i),
            Value::Float(f) => visitor.visit_f64(*f),
            Value::String(s) => visitor.visit_str(s),
            Value::List(items) => visitor.visit_seq(SeqAccess {
                items: items.iter(),
                name: self.name,
            }),
            Value::Map(_) => visitor.visit_map(self.map()?),
        };
        r.map_err(|e| self.locate(e))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.e.value {
            Value::Bool(b) => visitor.visit_bool(b).map_err(|e| self.locate(e)),
            _ => Err(self.mismatch("boolean")),
        }
    }

    int_method!(deserialize_i8, visit_i64);
    int_method!(deserialize_i16, visit_i64);
    int_method!(deserialize_i32, visit_i64);
    int_method!(deserialize_i64, visit_i64);
    int_method!(deserialize_u8, visit_i64);
    int_method!(deserialize_u16, visit_i64);
    int_method!(deserialize_u32, visit_i64);
    int_method!(deserialize_u64, visit_i64);

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.e.value {
            Value::Float(f) => visitor.visit_f64(f).map_err(|e| self.locate(e)),
            _ => Err(self.mismatch("floating point")),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.e.value {
            Value::String(s) => visitor.visit_str(s).map_err(|e| self.locate(e)),
            _ => Err(self.mismatch("constant string")),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        // Kea has no `null` for parameters: an absent key is the only way to leave one unset.
        visitor.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.e.value {
            Value::Null => visitor.visit_unit().map_err(|e| self.locate(e)),
            _ => Err(self.mismatch("null")),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.e.value {
            Value::List(items) => visitor
                .visit_seq(SeqAccess {
                    items: items.iter(),
                    name: self.name,
                })
                .map_err(|e| self.locate(e)),
            _ => Err(self.mismatch("[")),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let access = self.map()?;
        visitor.visit_map(access).map_err(|e| self.locate(e))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        // Kea's grammar wants at least one parameter in a map given under a key.
        if !self.list_item && matches!(&self.e.value, Value::Map(m) if m.is_empty()) {
            let mut pos = self.e.pos.clone();
            pos.col = pos.col.saturating_add(1);
            return Err(DeError::new(Kind::Syntax {
                found: "}".to_string(),
                expecting: None,
            })
            .locate(Location::new(pos, 1), self.name));
        }
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.e.value {
            Value::String(s) => {
                let de: de::value::StrDeserializer<'_, DeError> = s.as_str().into_deserializer();
                visitor.visit_enum(de).map_err(|e| self.locate(e))
            }
            _ => Err(self.mismatch("constant string")),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

struct SeqAccess<'a> {
    items: std::slice::Iter<'a, Element>,
    name: &'a str,
}

impl<'de, 'a> de::SeqAccess<'de> for SeqAccess<'a> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.items.next() {
            Some(e) => seed
                .deserialize(ElementDe {
                    e,
                    name: self.name,
                    list_item: true,
                })
                .map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapAccess<'a> {
    entries: std::slice::Iter<'a, MapEntry>,
    value: Option<&'a MapEntry>,
    context: &'a str,
}

impl<'de, 'a> de::MapAccess<'de> for MapAccess<'a> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(entry);
        let key: de::value::StrDeserializer<'_, DeError> = entry.key.as_str().into_deserializer();
        let width = u32::try_from(entry.key.len() + 2).unwrap_or(u32::MAX);
        seed.deserialize(key)
            .map(Some)
            .map_err(|e| e.locate(Location::new(entry.key_pos.clone(), width), self.context))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        match self.value.take() {
            Some(entry) => seed.deserialize(ElementDe {
                e: &entry.value,
                name: &entry.key,
                list_item: false,
            }),
            None => Err(de::Error::custom("value requested before key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed test
mod tests {
    use serde::Deserialize;

    use super::*;
    use crate::json::parse_str;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "kebab-case", deny_unknown_fields)]
    struct Sample {
        count: Option<u8>,
        ratio: Option<f64>,
        #[serde(default)]
        names: Vec<String>,
        user_context: Option<crate::UserContext>,
    }

    fn decode(text: &str) -> Result<Sample, String> {
        let e = parse_str(text, "s.json").unwrap();
        from_element(&e, "sample").map_err(|e| e.to_string())
    }

    #[test]
    fn null_is_not_a_parameter_value() {
        assert_eq!(
            decode(r#"{"count": null}"#).unwrap_err(),
            "s.json:1.11-14: syntax error, unexpected null, expecting integer"
        );
    }

    #[test]
    fn free_form_data_takes_anything() {
        let s = decode(r#"{"user-context": {"a": null, "b": [1, 2.5, "x", {}]}}"#).unwrap();
        assert_eq!(s.user_context.unwrap()["b"][1], serde_json::json!(2.5));
    }

    #[test]
    fn integer_ranges_and_float_strictness() {
        assert_eq!(
            decode(r#"{"count": 256}"#).unwrap_err(),
            "count value: 256 is out of range, expected value: 0..255 (s.json:1:11)"
        );
        assert!(decode(r#"{"ratio": 1}"#).is_err());
        assert_eq!(decode(r#"{"ratio": .25}"#).unwrap().ratio, Some(0.25));
    }

    #[test]
    fn list_items_are_positioned() {
        let s = decode(r#"{"names": ["a"], "count": 3}"#).unwrap();
        assert_eq!((s.names.len(), s.count), (1, Some(3)));
        assert_eq!(
            decode("{\"names\": [\"a\",\n  7]}").unwrap_err(),
            "s.json:2.3: syntax error, unexpected integer, expecting constant string"
        );
    }
}
