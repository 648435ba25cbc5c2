//! Helpers for keyword-valued parameters.

/// Declares a string-valued enum: exact keywords on the wire unless `ci` is given, in which
/// case the keyword is matched ignoring ASCII case (as Kea does for those parameters).
/// Unknown keywords are reported with the list of supported ones.
macro_rules! keyword_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident $(($ci:ident))? {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every keyword, in the order Kea lists them.
            pub const KEYWORDS: &'static [&'static str] = &[$($text),+];

            /// The keyword as written in configurations.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Self::$variant => $text, )+
                }
            }

            /// Looks a keyword up.
            pub fn from_keyword(s: &str) -> Option<Self> {
                let _ci = false $( || { let $ci = true; $ci } )?;
                $(
                    if s == $text || (_ci && s.eq_ignore_ascii_case($text)) {
                        return Some(Self::$variant);
                    }
                )+
                None
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("constant string")
                    }
                    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<$name, E> {
                        $name::from_keyword(s)
                            .ok_or_else(|| E::unknown_variant(s, $name::KEYWORDS))
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

pub(crate) use keyword_enum;
