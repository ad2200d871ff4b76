package schema

import (
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// maxKeyBytes bounds how much of a client-chosen key a location shows.
const maxKeyBytes = 64

// failure is a Failure with its instance path kept for sorting.
type failure struct {
	path []string
	Failure
}

// collector flattens a jsonschema error tree into Failures: the leaves of
// the tree, plus one failure per missing, disallowed or badly named property.
type collector struct {
	root any
	out  []failure
	seen map[Failure]bool
}

func collect(e *jsonschema.ValidationError, root any) ([]Failure, int) {
	c := &collector{root: root, seen: make(map[Failure]bool)}
	c.walk(e)
	sort.SliceStable(c.out, func(i, j int) bool {
		a, b := &c.out[i], &c.out[j]
		if lessPath(a.path, b.path) || lessPath(b.path, a.path) {
			return lessPath(a.path, b.path)
		}
		if a.Keyword != b.Keyword {
			return a.Keyword < b.Keyword
		}
		return a.Message < b.Message
	})
	n := len(c.out)
	if n > MaxFailures {
		n = MaxFailures
	}
	fs := make([]Failure, n)
	for i := range fs {
		fs[i] = c.out[i].Failure
	}
	return fs, len(c.out) - n
}

func (c *collector) add(path []string, keyword, msg string) {
	f := Failure{Location: c.render(path), Keyword: keyword, Message: msg}
	if c.seen[f] {
		return
	}
	c.seen[f] = true
	c.out = append(c.out, failure{path: path, Failure: f})
}

// child returns loc extended by one property name.
func child(loc []string, prop string) []string {
	return append(loc[:len(loc):len(loc)], prop)
}

func (c *collector) walk(e *jsonschema.ValidationError) {
	loc := e.InstanceLocation
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		for _, p := range k.Missing {
			c.add(child(loc, p), "required", "is required")
		}
		return
	case *kind.AdditionalProperties:
		for _, p := range k.Properties {
			c.add(child(loc, p), "additionalProperties", "is not allowed")
		}
		return
	case *kind.PropertyNames:
		c.add(child(loc, k.Property), "propertyNames", "is not an allowed property name")
		return
	case *kind.Dependency:
		for _, p := range k.Missing {
			c.add(child(loc, p), "dependencies", "is required when "+strconv.Quote(k.Prop)+" is present")
		}
		return
	case *kind.DependentRequired:
		for _, p := range k.Missing {
			c.add(child(loc, p), "dependentRequired", "is required when "+strconv.Quote(k.Prop)+" is present")
		}
		return
	}
	switch e.ErrorKind.(type) {
	case *kind.Contains, *kind.MinContains, *kind.MaxContains, *kind.ContentSchema:
		// The causes are the items that did not match: not the failure.
		keyword, msg := describe(e.ErrorKind)
		c.add(loc, keyword, msg)
		return
	}
	if len(e.Causes) > 0 {
		for _, cause := range e.Causes {
			c.walk(cause)
		}
		return
	}
	keyword, msg := describe(e.ErrorKind)
	c.add(loc, keyword, msg)
}

// describe renders a leaf error kind. Messages use only the schema's values
// and the instance's type, counts and indexes: never the client's strings.
func describe(k jsonschema.ErrorKind) (keyword, msg string) {
	switch k := k.(type) {
	case *kind.Type:
		return "type", "must be " + strings.Join(k.Want, " or ") + ", got " + k.Got
	case *kind.Enum:
		if s, ok := listValues(k.Want); ok {
			if len(k.Want) == 1 {
				return "enum", "must be " + s
			}
			return "enum", "must be one of " + s
		}
		return "enum", "must be one of the enumerated values"
	case *kind.Const:
		if s, ok := listValues([]any{k.Want}); ok {
			return "const", "must be " + s
		}
		return "const", "must equal the const value"
	case *kind.Format:
		return "format", "must be a valid " + k.Want
	case *kind.MinProperties:
		return "minProperties", fmt.Sprintf("must have at least %d %s (has %d)", k.Want, plural(k.Want, "property", "properties"), k.Got)
	case *kind.MaxProperties:
		return "maxProperties", fmt.Sprintf("must have at most %d %s (has %d)", k.Want, plural(k.Want, "property", "properties"), k.Got)
	case *kind.MinItems:
		return "minItems", fmt.Sprintf("must have at least %d %s (has %d)", k.Want, plural(k.Want, "item", "items"), k.Got)
	case *kind.MaxItems:
		return "maxItems", fmt.Sprintf("must have at most %d %s (has %d)", k.Want, plural(k.Want, "item", "items"), k.Got)
	case *kind.AdditionalItems:
		return "additionalItems", fmt.Sprintf("has %d %s beyond those the schema allows", k.Count, plural(k.Count, "item", "items"))
	case *kind.UniqueItems:
		return "uniqueItems", fmt.Sprintf("must not contain duplicate items ([%d] and [%d] are equal)", k.Duplicates[0], k.Duplicates[1])
	case *kind.Contains:
		return "contains", "must contain an item matching the contains schema"
	case *kind.MinContains:
		return "minContains", fmt.Sprintf("must contain at least %d %s matching the contains schema (has %d)", k.Want, plural(k.Want, "item", "items"), len(k.Got))
	case *kind.MaxContains:
		return "maxContains", fmt.Sprintf("must contain at most %d %s matching the contains schema (has %d)", k.Want, plural(k.Want, "item", "items"), len(k.Got))
	case *kind.MinLength:
		return "minLength", fmt.Sprintf("must be at least %d %s long (has %d)", k.Want, plural(k.Want, "character", "characters"), k.Got)
	case *kind.MaxLength:
		return "maxLength", fmt.Sprintf("must be at most %d %s long (has %d)", k.Want, plural(k.Want, "character", "characters"), k.Got)
	case *kind.Pattern:
		return "pattern", "must match pattern " + strconv.Quote(k.Want)
	case *kind.ContentEncoding:
		return "contentEncoding", "must be " + k.Want + "-encoded"
	case *kind.ContentMediaType:
		return "contentMediaType", "must be " + k.Want
	case *kind.ContentSchema:
		return "contentSchema", "content must match the contentSchema"
	case *kind.Minimum:
		return "minimum", "must be >= " + ratString(k.Want)
	case *kind.Maximum:
		return "maximum", "must be <= " + ratString(k.Want)
	case *kind.ExclusiveMinimum:
		return "exclusiveMinimum", "must be > " + ratString(k.Want)
	case *kind.ExclusiveMaximum:
		return "exclusiveMaximum", "must be < " + ratString(k.Want)
	case *kind.MultipleOf:
		return "multipleOf", "must be a multiple of " + ratString(k.Want)
	case *kind.FalseSchema:
		return "false", "is not allowed"
	case *kind.Not:
		return "not", "must not match the 'not' schema"
	case *kind.OneOf:
		if len(k.Subschemas) >= 2 {
			return "oneOf", fmt.Sprintf("must match exactly one oneOf schema, but matches schemas %d and %d", k.Subschemas[0], k.Subschemas[1])
		}
		return "oneOf", "must match exactly one oneOf schema"
	case *kind.AnyOf:
		return "anyOf", "must match at least one anyOf schema"
	case *kind.AllOf:
		return "allOf", "must match all allOf schemas"
	case *kind.RefCycle:
		return "$ref", "cannot be validated: the schema's references form a cycle"
	case *kind.InvalidJsonValue:
		return "type", "is not a JSON value"
	case nil:
		return "", "does not match the schema"
	}
	kw := strings.Join(k.KeywordPath(), "/")
	if kw == "" {
		return "", "does not match the schema"
	}
	return kw, "fails " + kw
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// listValues renders up to 10 primitive schema values as JSON.
func listValues(vs []any) (string, bool) {
	if len(vs) == 0 || len(vs) > 10 {
		return "", false
	}
	parts := make([]string, len(vs))
	for i, v := range vs {
		switch v.(type) {
		case []any, map[string]any:
			return "", false
		}
		b, err := json.Marshal(v)
		if err != nil {
			return "", false
		}
		parts[i] = string(b)
	}
	return strings.Join(parts, ", "), true
}

func ratString(r *big.Rat) string {
	if r == nil {
		return "?"
	}
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// render turns an instance path into an fnguard location. It walks the
// instance to tell array indexes from object keys that look like numbers.
func (c *collector) render(path []string) string {
	b := make([]byte, 0, 32)
	b = append(b, "body"...)
	cur := c.root
	for _, tok := range path {
		if arr, ok := cur.([]any); ok {
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(arr) {
				b = append(b, '[')
				b = strconv.AppendInt(b, int64(i), 10)
				b = append(b, ']')
				cur = arr[i]
				continue
			}
		}
		b = appendKey(b, tok)
		if obj, ok := cur.(map[string]any); ok {
			cur = obj[tok]
		} else {
			cur = nil
		}
	}
	return string(b)
}

// appendKey appends ".key" for an identifier ([A-Za-z_$][A-Za-z0-9_$]*) and
// `["key"]` otherwise, JSON-escaped and shortened to maxKeyBytes, the same
// convention as the engine's JSON walker.
func appendKey(b []byte, key string) []byte {
	if isIdent(key) && len(key) <= maxKeyBytes {
		b = append(b, '.')
		return append(b, key...)
	}
	short := false
	if len(key) > maxKeyBytes {
		cut := maxKeyBytes
		for cut > 0 && !utf8.RuneStart(key[cut]) {
			cut--
		}
		key, short = key[:cut], true
	}
	b = append(b, '[', '"')
	for i := 0; i < len(key); {
		r, size := utf8.DecodeRuneInString(key[i:])
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029:
			b = fmt.Appendf(b, `\u%04x`, r)
		default:
			b = append(b, key[i:i+size]...)
		}
		i += size
	}
	if short {
		b = append(b, "..."...)
	}
	return append(b, '"', ']')
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9' {
			continue
		}
		return false
	}
	return true
}

// lessPath orders instance paths token by token, numbers numerically.
func lessPath(a, b []string) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] == b[i] {
			continue
		}
		x, errX := strconv.Atoi(a[i])
		y, errY := strconv.Atoi(b[i])
		if errX == nil && errY == nil {
			return x < y
		}
		return a[i] < b[i]
	}
	return len(a) < len(b)
}
