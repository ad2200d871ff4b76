// Package sanitize rewrites user-supplied HTML with bluemonday policies, in
// strings or in chosen string fields of a JSON document.
//
// Importing this package costs bluemonday's initialisation (a few
// milliseconds of cold start), which is why package guard never imports it.
// Instead, this package registers itself with the engine from its init
// function; a program that sets FNGUARD_SANITIZE_HTML links it with
//
//	import _ "github.com/fnguard/fnguard/guard/sanitize"
//
// Two policies exist: [Strict] strips every element and keeps only text
// (bluemonday.StrictPolicy), [UGC] keeps the safe formatting markup of user
// generated content such as <b>, <a href> and <img src> while dropping
// scripts, event handlers and javascript: URLs (bluemonday.UGCPolicy). Both
// escape the text they keep, so "Tom & Jerry" becomes "Tom &amp; Jerry".
//
// # JSON field paths
//
// [Sanitizer.JSONFields] takes paths relative to the root of the JSON body:
//
//	comment            member "comment" of the root object
//	user.bio           member "bio" of member "user"
//	items[*].note      member "note" of every element of array "items"
//	items[0].note      ... of its first element only
//	users.*.bio        member "bio" of every member of object "users"
//	[*].name           "name" of every element of a root array
//	["a.b"].c          a member whose name needs quoting, as a JSON string
//
// A step is a member name (any bytes but '.', '[', ']', '"' and white
// space), '*' for every member, [N] for element N, [*] for every element,
// or ["name"] for any member name written as a JSON string. Member names are
// compared after JSON unescaping, so "comm\u0065nt" matches comment, and
// duplicate members are all rewritten. When a path ends at a string, that
// string is sanitised; when it ends at an object or array, every string
// value inside it is; numbers, booleans and null are left alone, and so are
// paths that the document does not contain.
package sanitize
