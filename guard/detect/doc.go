// Package detect is fnguard's injection detection engine.
//
// A [Detector] inspects one client-controlled string at a time (a JSON
// string value or object key, a query/header/cookie/path value, a text
// body) and reports at most one [Match] per attack [Category]:
//
//	sqli, xss, cmdi, path_traversal, ssrf, nosqli, ssti, jndi,
//	proto_pollution, xxe, ldapi
//
// # How a string is scanned
//
// Scan first runs a byte-class pre-filter over the raw string: strings made
// only of letters, digits, spaces and a few harmless punctuation bytes carry
// no attack syntax and return immediately without allocating (the only
// check left for them is a bare-host SSRF check for single tokens such as
// "169.254.169.254").
//
// Strings with other punctuation get one more linear pass that computes
// trigger features (bigrams such as "--", "${", "://", ")(", "<x" and the
// groups of keywords present, looked up through a small table) and selects
// the detectors that could possibly match. Everyday text such as user
// agents, URLs, dates and prose usually selects none and returns after this
// pass, still without allocating.
//
// Everything else is normalised into a pooled buffer (see [Normalize]):
// URL decoding repeated until stable (at most four rounds, including %uXXXX
// and overlong UTF-8 such as %c0%ae), HTML character references (named,
// decimal and hex, with or without the trailing semicolon), JavaScript
// escapes (\uXXXX, \u{X}, \xXX), full-width and other look-alike forms of
// ASCII punctuation, removal of NUL bytes, and ASCII case folding. Every
// round only ever shrinks the string, so work and memory are linear in the
// input length.
//
// The per-category detectors then work on the normalised text with small
// hand-written lexers rather than large regular expressions: a SQL
// tokenizer evaluated in the three libinjection-style contexts (as is,
// inside a single-quoted string, inside a double-quoted string), an HTML
// tag/attribute scanner, a shell separator/command scanner with a
// de-quoted view (c”at, c\at, ${IFS}), a path segment scanner, a URL
// authority parser that understands every IPv4 notation accepted by
// inet_aton and IPv6 (including IPv4-mapped forms), template delimiters
// whose expression is judged by its content, a Log4j lookup flattener, a
// DTD scanner and an LDAP filter scanner. Each detector is written so that
// benign look-alikes (O'Brien, "select ... from" in prose, "a < b", prices,
// "${price}", "{{name}}", public URLs, e-mails, non-Latin text) pass.
//
// # Keys
//
// Object keys and parameter names are scanned with [Input.Kind] set to
// [Key]. Besides every value check, keys are checked for MongoDB operators
// ("$ne", "user[$ne]") and prototype pollution ("__proto__",
// "a[__proto__][x]", and "prototype" whose [Input.ParentKey] is
// "constructor").
//
// # Cost
//
// A [Detector] is immutable and safe for concurrent use. [New] compiles only
// the user-supplied [Rule] patterns; the built-in detectors need no
// initialisation. Scanning a clean string does not allocate; scanning an
// attack allocates only the returned fragments.
package detect
