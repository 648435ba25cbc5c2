//! The set of client classes a packet belongs to, and how one class definition's expression
//! adds to it.
//!
//! ARM `classify.rst`: classes are assigned by built-in rules (`ALL`, `KNOWN`/`UNKNOWN`,
//! `VENDOR_CLASS_*`), by class `test` expressions, by template classes ("Template Classes":
//! a `template-test` spawns `SPAWN_<class>_<value>`) and by host reservations. Guards on
//! subnets, shared networks and pools (`client-class`) admit a client only when it is in that
//! class.
//!
//! `BOOTP` (classify.rst, "Built-in Client Classes") is only ever assigned by the BOOTP hook
//! library; without it Kea 2.2 drops a query without option 53 (`DHCP4_PACKET_DROP_0009`,
//! "is this a BOOTP packet?") and so never sees a packet in that class. Nothing here assigns
//! it: the servers drop such queries as they do any query without a message type.

use kea_eval::{Expression, Packet, ParseContext, ParseError};

/// The prefix of spawned class names (classify.rst, "Built-in Client Classes").
pub const SPAWN_PREFIX: &str = "SPAWN_";

/// A class definition's expression (classify.rst, "Configuring Classes": `test` and
/// `template-test` are mutually exclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClassTest {
    /// `test`: the packet is in the class when this boolean expression is true.
    Test(Expression),
    /// `template-test`: the class is a template; this string expression's value names the
    /// spawned class `SPAWN_<class>_<value>`.
    Template(Expression),
}

impl ClassTest {
    /// The parsed expression, whichever kind it is.
    pub fn expression(&self) -> &Expression {
        match self {
            ClassTest::Test(e) | ClassTest::Template(e) => e,
        }
    }
}

/// Why a class definition's expression is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClassTestError {
    /// Both `test` and `template-test` are set (classify.rst, "Configuring Classes").
    #[error("'test' and 'template-test' are mutually exclusive")]
    TestAndTemplate,
    /// The expression does not parse, or names a class not defined before this one.
    #[error(transparent)]
    Expression(#[from] ParseError),
}

/// A class definition's parsed expression and the stage it is evaluated in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedClassTest {
    /// The expression, if the class has one.
    pub test: Option<ClassTest>,
    /// When it is evaluated.
    pub stage: EvalStage,
}

impl ClassTest {
    /// Parses a class definition's `test` or `template-test` (at most one may be given; an
    /// empty one is a syntax error, as in Kea) and decides when it is evaluated:
    /// `only-if-required` classes only when required; classes that name `KNOWN`/`UNKNOWN`, or
    /// an earlier class evaluated after the host lookup, after the host lookup; the rest on
    /// reception. `earlier` gives the stage of a class defined before this one (classes may
    /// only name built-in classes and those).
    pub fn parse_definition(
        test: Option<&str>,
        template_test: Option<&str>,
        only_if_required: bool,
        ctx: &ParseContext<'_>,
        earlier: impl Fn(&str) -> Option<EvalStage>,
    ) -> Result<ParsedClassTest, ClassTestError> {
        // KEA-DIFF: Kea 2.2 rejects `template-test` as an unknown keyword; the ARM (2.5.7)
        // defines it, and configurations valid for 2.2 are unaffected.
        let test = match (test, template_test) {
            (Some(_), Some(_)) => return Err(ClassTestError::TestAndTemplate),
            (Some(t), None) => Some(ClassTest::Test(Expression::parse_bool(t, ctx)?)),
            (None, Some(t)) => Some(ClassTest::Template(Expression::parse_string(t, ctx)?)),
            (None, None) => None,
        };
        let expr = test.as_ref().map(ClassTest::expression);
        if let Some(e) = expr {
            e.check_dependencies(|n| earlier(n).is_some())?;
        }
        let stage = if only_if_required {
            EvalStage::OnlyIfRequired
        } else if expr.is_some_and(|e| {
            e.depends_on_known()
                || e.dependencies()
                    .iter()
                    .any(|d| earlier(d) == Some(EvalStage::AfterHostLookup))
        }) {
            EvalStage::AfterHostLookup
        } else {
            EvalStage::Early
        };
        Ok(ParsedClassTest { test, stage })
    }
}

/// The name of the class a template class spawns for `value`: `SPAWN_<template>_<value>`,
/// or `None` for an empty value (classify.rst: "If the resulting string is empty, no
/// spawning class is generated").
///
/// KEA-DIFF: class names are UTF-8 strings here, so octets of the value that are not UTF-8
/// become U+FFFD; Kea keeps the raw octets. Configured names (JSON) are UTF-8 either way, so
/// which configured classes a packet matches does not change.
pub fn spawned_class_name(template: &str, value: &[u8]) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    Some(format!(
        "{SPAWN_PREFIX}{template}_{}",
        String::from_utf8_lossy(value)
    ))
}

/// When a class's `test` is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EvalStage {
    /// On reception, before subnet selection.
    #[default]
    Early,
    /// After host reservation lookup: the test depends on `KNOWN`/`UNKNOWN`.
    AfterHostLookup,
    /// Only when a shared network, subnet or pool requires it (`only-if-required`).
    OnlyIfRequired,
}

/// Classes in the order they were assigned (the order decides option precedence between them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientClasses(Vec<String>);

impl ClientClasses {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `name` unless already present.
    pub fn insert(&mut self, name: impl Into<String>) {
        let name = name.into();
        if !self.0.contains(&name) {
            self.0.push(name);
        }
    }

    /// Whether the packet is in class `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|c| c == name)
    }

    /// Whether a guard admits this packet: no guard, or the guard class is present.
    pub fn admits(&self, guard: Option<&str>) -> bool {
        guard.is_none_or(|g| self.contains(g))
    }

    /// Evaluates class `name`'s expression on `pkt` against the classes assigned so far and
    /// adds what it yields: `name` when its `test` is true; for a template class with a
    /// non-empty value, the spawned class and then `name` itself (classify.rst, "Template
    /// Classes"). An expression whose evaluation fails yields nothing, as in Kea. Returns
    /// whether the packet is now in `name`.
    pub fn evaluate<P: Packet + ?Sized>(&mut self, name: &str, test: &ClassTest, pkt: &P) -> bool {
        match test {
            ClassTest::Test(e) => {
                if e.evaluate_bool(pkt, &*self).unwrap_or(false) {
                    self.insert(name);
                }
            }
            ClassTest::Template(e) => {
                let spawned = e
                    .evaluate_string(pkt, &*self)
                    .ok()
                    .and_then(|value| spawned_class_name(name, &value));
                if let Some(spawned) = spawned {
                    self.insert(spawned);
                    self.insert(name);
                }
            }
        }
        self.contains(name)
    }

    /// Classes in assignment order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// Number of classes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl kea_eval::ClassSet for ClientClasses {
    fn contains_class(&self, name: &str) -> bool {
        self.contains(name)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a failed unwrap is a failed assertion
mod tests {
    use kea_dhcp::codes::{BOOTREQUEST, DHO_DHCP_CLIENT_IDENTIFIER};
    use kea_dhcp::{MessageType, Opt, Pkt4};
    use kea_eval::{ParseContext, Pkt4View};

    use super::*;

    fn template(text: &str) -> ClassTest {
        ClassTest::Template(Expression::parse_string(text, &ParseContext::v4()).unwrap())
    }

    fn test(text: &str) -> ClassTest {
        ClassTest::Test(Expression::parse_bool(text, &ParseContext::v4()).unwrap())
    }

    fn with_client_id(id: &[u8]) -> Pkt4 {
        let mut p = Pkt4::new(BOOTREQUEST, MessageType::Discover, 1);
        p.options
            .insert(Opt::new(DHO_DHCP_CLIENT_IDENTIFIER, id.to_vec()));
        p
    }

    #[test]
    fn template_spawns_a_class_and_joins_its_own() {
        let pkt = with_client_id(b"foobar");
        let view = Pkt4View::new(&pkt);
        let mut c = ClientClasses::new();
        c.insert("ALL");
        let t = template("substring(option[61].hex,0,3)");
        assert!(c.evaluate("Client-ID", &t, &view));
        assert_eq!(
            c.iter().collect::<Vec<_>>(),
            vec!["ALL", "SPAWN_Client-ID_foo", "Client-ID"]
        );
        // A later class sees both through member().
        assert!(c.evaluate("later", &test("member('SPAWN_Client-ID_foo')"), &view));
        assert!(c.admits(Some("SPAWN_Client-ID_foo")));
    }

    #[test]
    fn empty_or_failed_template_spawns_nothing() {
        let pkt = with_client_id(b"foobar");
        let view = Pkt4View::new(&pkt);
        let mut c = ClientClasses::new();
        // option 12 is absent: empty value.
        assert!(!c.evaluate("Host", &template("option[12].hex"), &view));
        // the ARM's filtering form: ifelse(...) == '' when the condition fails
        let filter = template(
            "ifelse(substring(option[61].hex,3,3) == 'baz', substring(option[61].hex,0,3), '')",
        );
        assert!(!c.evaluate("Client-ID", &filter, &view));
        // addrtotext of 6 octets fails to evaluate.
        assert!(!c.evaluate("Addr", &template("addrtotext(option[61].hex)"), &view));
        assert!(c.is_empty());
        let pass = template(
            "ifelse(substring(option[61].hex,3,3) == 'bar', substring(option[61].hex,0,3), '')",
        );
        assert!(c.evaluate("Client-ID", &pass, &view));
        assert!(c.contains("SPAWN_Client-ID_foo"));
    }

    #[test]
    fn boolean_test_adds_only_its_class() {
        let pkt = with_client_id(b"foobar");
        let view = Pkt4View::new(&pkt);
        let mut c = ClientClasses::new();
        assert!(c.evaluate(
            "foo",
            &test("substring(option[61].hex,0,3) == 'foo'"),
            &view
        ));
        assert!(!c.evaluate("bar", &test("option[61].hex == 'bar'"), &view));
        assert_eq!(c.iter().collect::<Vec<_>>(), vec!["foo"]);
    }

    fn parse(
        test: Option<&str>,
        template: Option<&str>,
        earlier: &[(&str, EvalStage)],
    ) -> Result<ParsedClassTest, ClassTestError> {
        ClassTest::parse_definition(test, template, false, &ParseContext::v4(), |n| {
            earlier.iter().find(|(e, _)| *e == n).map(|(_, s)| *s)
        })
    }

    #[test]
    fn definitions_and_stages() {
        let p = parse(None, Some("substring(option[61].hex,0,3)"), &[]).unwrap();
        assert!(matches!(p.test, Some(ClassTest::Template(_))));
        assert_eq!(p.stage, EvalStage::Early);
        let p = parse(Some("member('KNOWN')"), None, &[]).unwrap();
        assert!(matches!(p.test, Some(ClassTest::Test(_))));
        assert_eq!(p.stage, EvalStage::AfterHostLookup);
        let late = [("k", EvalStage::AfterHostLookup), ("e", EvalStage::Early)];
        let p = parse(None, Some("ifelse(member('k'), 'a', '')"), &late).unwrap();
        assert_eq!(p.stage, EvalStage::AfterHostLookup);
        assert_eq!(
            parse(Some("member('e')"), None, &late).unwrap().stage,
            EvalStage::Early
        );
        let p = ClassTest::parse_definition(
            None,
            Some("option[61].hex"),
            true,
            &ParseContext::v4(),
            |_| None,
        )
        .unwrap();
        assert_eq!(p.stage, EvalStage::OnlyIfRequired);
        assert_eq!(
            parse(None, None, &[]).unwrap(),
            ParsedClassTest {
                test: None,
                stage: EvalStage::Early
            }
        );
    }

    #[test]
    fn refused_definitions() {
        assert_eq!(
            parse(Some("member('ALL')"), Some("'x'"), &[]),
            Err(ClassTestError::TestAndTemplate)
        );
        // Kea rejects an empty expression.
        assert!(matches!(
            parse(Some(""), None, &[]),
            Err(ClassTestError::Expression(_))
        ));
        assert!(matches!(
            parse(None, Some(""), &[]),
            Err(ClassTestError::Expression(_))
        ));
        // A class not defined before this one.
        let e = parse(None, Some("ifelse(member('later'), 'a', '')"), &[]).unwrap_err();
        assert!(e.to_string().contains("later"), "{e}");
    }

    #[test]
    fn spawned_names() {
        assert_eq!(
            spawned_class_name("Client-ID", b"foo").as_deref(),
            Some("SPAWN_Client-ID_foo")
        );
        assert_eq!(spawned_class_name("Client-ID", b""), None);
        assert_eq!(
            spawned_class_name("c", &[0x66, 0xff]).as_deref(),
            Some("SPAWN_c_f\u{fffd}")
        );
    }

    #[test]
    fn guards_and_order() {
        let mut c = ClientClasses::new();
        c.insert("ALL");
        c.insert("KNOWN");
        c.insert("ALL");
        assert_eq!(c.iter().collect::<Vec<_>>(), vec!["ALL", "KNOWN"]);
        assert!(c.admits(None));
        assert!(c.admits(Some("KNOWN")));
        assert!(!c.admits(Some("UNKNOWN")));
    }
}
