package hooks

import "io/fs"

// HTMLSanitizer builds a sanitising function for an HTML policy name
// ("strict" or "ugc"); the function returned is safe for concurrent use.
// It is nil unless package github.com/fnguard/fnguard/guard/sanitize is
// linked into the program: that package sets it from its init function, so
// it must only be read after package initialisation (for example in
// guard.New), never written by anything else.
var HTMLSanitizer func(policy string) (func(string) string, error)

// HTMLFields builds a function that sanitises the string values at paths
// (guard/sanitize's path syntax, relative to the JSON body) with an HTML
// policy, keeping every other byte of the body. Path errors surface here, at
// construction. Like HTMLSanitizer, it is nil unless guard/sanitize is linked.
var HTMLFields func(policy string, paths []string) (func(body []byte) ([]byte, error), error)

// SchemaSet is the part of guard/schema's *Set that the engine uses.
type SchemaSet interface {
	Routes() []string
	Validate(route string, body []byte) (ok bool, err error)
}

// Schemas compiles the JSON Schemas an FNGUARD_SCHEMAS value names, reading
// the files from fsys. It is nil unless package
// github.com/fnguard/fnguard/guard/schema is linked into the program (its
// init function sets it), so that the JSON Schema validator costs nothing
// to functions that do not use it.
var Schemas func(fsys fs.FS, v string) (SchemaSet, error)

// DenyPattern compiles an RE2 deny pattern of FNGUARD_DENY_PATTERNS into a
// function that returns the leftmost match in a string ("" when there is
// none); the function is safe for concurrent use. It is nil unless package
// github.com/fnguard/fnguard/guard/pattern is linked into the program (its
// init function sets it), so that a function without deny patterns does not
// carry the regexp engine and its Unicode tables (about 0.2 MiB and 90k
// instructions of package init).
var DenyPattern func(pattern string) (func(string) string, error)
