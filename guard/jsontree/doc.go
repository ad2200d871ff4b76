// Package jsontree is fnguard's bounded, allocation-lean JSON parser and
// walker. It sits on the hot path of every invocation: the Lambda adapters
// parse event envelopes with Parse, and the engine streams every request body
// through Walk to hand each key and string, with its location, to the
// injection detectors.
//
// # Two entry points
//
// Parse builds a compact read-only tree: one arena of 8-byte nodes in
// document order, referring back to the source bytes. Strings without
// escapes are not copied; escaped strings are decoded once into a single
// side buffer. A Value is a small handle (Doc pointer + node index) with
// lookups (Get, GetFold, Path, At), iterators (Members, Elems) and accessors
// (Str, Bool, Int64, Float64, Raw). Parsing a typical 1.3 KB API Gateway event
// takes three allocations.
//
// Walk validates the same way but builds no tree: it calls a visitor for every
// object key and string value with a *Path describing the location (rendered
// JS-style, e.g. body.items[2].note or body["x-forwarded-for"]). Its memory is
// proportional to the nesting depth, not the input size, and it does not
// allocate unless a visited string has escapes.
//
// # Strictness and limits
//
// Input must be one RFC 8259 JSON text: invalid UTF-8 anywhere, control
// characters or bad escapes in strings, a leading byte order mark, empty
// input and trailing data are all *SyntaxError (errors.Is(err, ErrSyntax)).
// A \u escape of an unpaired UTF-16 surrogate is accepted and decodes to
// U+FFFD, exactly like encoding/json, so decoded strings always agree with
// it. Numbers are validated but never converted, so arbitrarily long numbers
// are accepted (Value.Int64 and Value.Float64 convert on demand).
//
// Limits bounds nesting depth (default DefaultMaxDepth), string length after
// unescaping, and the total number of values and keys; by default a key
// repeated in one object is rejected, because parsers disagree about which
// occurrence wins. Violations are *LimitError (errors.Is(err, ErrLimit)),
// naming the limit, its maximum and the path.
//
// Neither Parse nor Walk recurses: open containers live on an explicit
// stack, so a million nested brackets yield a clean depth error, or with
// MaxDepth < 0 parse fine without growing the goroutine stack. Both run in
// time linear in the input and never panic on any input (they are fuzzed,
// including differentially against encoding/json).
//
// # Aliasing
//
// For speed, strings returned by Value.Str, Value.Members and passed to Walk
// visitors, and slices returned by Value.Raw, alias the source bytes. The
// caller must not modify the source while they are in use; copy with
// strings.Clone / bytes.Clone to keep them beyond that.
package jsontree
