//! Query strings as every surface reads them.
//!
//! Clients send a list parameter in two forms, and Jira (Jersey) accepts both:
//! repeated (`fields=summary&fields=comment`, as python `requests` encodes a list) and
//! comma-separated (`fields=summary,comment`). serde_urlencoded, behind axum's `Query`,
//! rejects the first with "duplicate field". So the query string is parsed here into
//! its pairs, kept in order, and deserialised by field type: a [`List`] field collects
//! every value of its key, each split on commas; any other field takes the key's first
//! value, as Jersey's `@QueryParam` does.

use std::collections::BTreeMap;

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

/// The name/value pairs of a query string, percent-decoded, in order.
pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// The items of a list given as any mix of repeated and comma-separated values, trimmed,
/// empty ones dropped.
pub fn split<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    values
        .into_iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Deserialises a query struct from its pairs (see the module doc for the rules).
pub fn from_pairs<T: DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, String> {
    let mut by_key: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (k, v) in pairs {
        by_key.entry(k.as_str()).or_default().push(v.as_str());
    }
    T::deserialize(Map {
        entries: by_key.into_iter(),
        current: None,
    })
    .map_err(|e| e.to_string())
}

/// The query string as a map from each key to its [`Values`]; an error in a value
/// names its key (`updateHistory: 'maybe' is not a boolean`).
struct Map<'a> {
    entries: std::collections::btree_map::IntoIter<&'a str, Vec<&'a str>>,
    current: Option<(&'a str, Vec<&'a str>)>,
}

impl<'de> de::Deserializer<'de> for Map<'de> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_map(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map struct
        enum identifier ignored_any
    }
}

impl<'de> de::MapAccess<'de> for Map<'de> {
    type Error = de::value::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.entries.next() {
            None => Ok(None),
            Some((key, values)) => {
                self.current = Some((key, values));
                seed.deserialize(de::value::BorrowedStrDeserializer::new(key))
                    .map(Some)
            }
        }
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let (key, values) = self.current.take().unwrap_or_default();
        seed.deserialize(Values(values))
            .map_err(|e| de::Error::custom(format!("{key}: {e}")))
    }
}

/// A list-valued query parameter: every value of its key, each split on commas. Also
/// reads a JSON string (`"a,b"`) or array (`["a","b"]`), so request bodies can share it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct List(pub Vec<String>);

impl List {
    pub fn items(&self) -> &[String] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, item: &str) -> bool {
        self.0.iter().any(|i| i == item)
    }
}

impl<'de> de::Deserialize<'de> for List {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = List;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a comma-separated list or an array of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<List, E> {
                Ok(List(split([v])))
            }
            fn visit_unit<E: de::Error>(self) -> Result<List, E> {
                Ok(List::default())
            }
            fn visit_none<E: de::Error>(self) -> Result<List, E> {
                Ok(List::default())
            }
            fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<List, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<List, A::Error> {
                let mut items = Vec::new();
                while let Some(v) = seq.next_element::<String>()? {
                    items.extend(split([v.as_str()]));
                }
                Ok(List(items))
            }
        }
        d.deserialize_any(ListVisitor)
    }
}

/// Every value one key has in the query string (never empty).
struct Values<'a>(Vec<&'a str>);

impl<'a> Values<'a> {
    fn first(&self) -> Part<'a> {
        Part(self.0.first().copied().unwrap_or_default())
    }
}

macro_rules! first_value {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            self.first().$method(v)
        })*
    };
}

impl<'de> de::Deserializer<'de> for Values<'de> {
    type Error = de::value::Error;

    /// A repeated key is a sequence (so a [`List`] sees every value); a single one, its
    /// value.
    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        if self.0.len() > 1 {
            self.deserialize_seq(v)
        } else {
            self.first().deserialize_any(v)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_seq(de::value::SeqDeserializer::new(
            self.0.into_iter().map(Part),
        ))
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, Self::Error> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Self::Error> {
        self.first().deserialize_enum(name, variants, v)
    }

    first_value! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32
        deserialize_f64 deserialize_char deserialize_str deserialize_string
        deserialize_identifier
    }

    forward_to_deserialize_any! {
        i128 u128 bytes byte_buf unit unit_struct tuple tuple_struct map struct
        ignored_any
    }
}

/// One value of the query string: a string that numbers and booleans parse from.
struct Part<'a>(&'a str);

impl<'a> IntoDeserializer<'a, de::value::Error> for Part<'a> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

macro_rules! parsed {
    ($($method:ident => $visit:ident: $ty:ty,)*) => {
        $(fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            match self.0.trim().parse::<$ty>() {
                Ok(n) => v.$visit(n),
                Err(_) => Err(de::Error::invalid_value(de::Unexpected::Str(self.0), &v)),
            }
        })*
    };
}

impl<'de> de::Deserializer<'de> for Part<'de> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_borrowed_str(self.0)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, Self::Error> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Self::Error> {
        de::value::BorrowedStrDeserializer::<Self::Error>::new(self.0)
            .deserialize_enum(name, variants, v)
    }

    parsed! {
        deserialize_bool => visit_bool: bool,
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
        deserialize_f32 => visit_f32: f32,
        deserialize_f64 => visit_f64: f64,
    }

    forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit unit_struct seq tuple tuple_struct
        map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(rename_all = "camelCase")]
    struct Q {
        jql: Option<String>,
        start_at: Option<i64>,
        #[serde(default)]
        fields: List,
        #[serde(default)]
        expand: List,
    }

    fn q(raw: &str) -> Result<Q, String> {
        from_pairs(&pairs(Some(raw)))
    }

    #[test]
    fn lists_accept_repeated_and_comma_separated_forms() {
        let a = q("fields=summary&fields=comment,status&expand=names").unwrap();
        assert_eq!(a.fields.items(), ["summary", "comment", "status"]);
        assert_eq!(a.expand.items(), ["names"]);
        let b = q("fields=summary%2Ccomment").unwrap();
        assert_eq!(b.fields.items(), ["summary", "comment"]);
        assert!(q("").unwrap().fields.is_empty());
    }

    #[test]
    fn scalars_take_the_first_value_and_parse_numbers() {
        let a = q("jql=a%3D1&jql=b&startAt=5&startAt=7").unwrap();
        assert_eq!(a.jql.as_deref(), Some("a=1"));
        assert_eq!(a.start_at, Some(5));
        let e = q("startAt=x").unwrap_err();
        assert!(e.starts_with("startAt: "), "{e}");
    }
}
