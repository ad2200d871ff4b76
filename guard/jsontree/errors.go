package jsontree

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error returned by Parse and Walk (other than an
// error returned by the visit callback, which Walk passes through unchanged)
// matches exactly one of them with errors.Is.
var (
	// ErrSyntax matches every *SyntaxError.
	ErrSyntax = errors.New("jsontree: syntax error")
	// ErrLimit matches every *LimitError.
	ErrLimit = errors.New("jsontree: limit exceeded")
)

// Names of the limits reported in LimitError.Limit.
const (
	LimitDepth        = "depth"         // Limits.MaxDepth
	LimitStringBytes  = "string bytes"  // Limits.MaxStringBytes
	LimitElements     = "elements"      // Limits.MaxElements
	LimitDuplicateKey = "duplicate key" // Limits.AllowDuplicateKeys == false
	LimitSize         = "document size" // the input is larger than MaxDocumentSize
)

// SyntaxError reports input that is not a valid JSON text (RFC 8259):
// malformed tokens, invalid UTF-8, control characters or bad escapes in
// strings, truncated input, empty input, trailing data, or a leading byte
// order mark.
type SyntaxError struct {
	// Offset is the byte offset in the input of the offending byte (len(src)
	// for truncated input).
	Offset int64
	// Path is the location of the error in the document, rendered as by
	// Path.AppendTo with an empty prefix, e.g. ".items[2]"; "" at top level.
	// Very long keys are shortened.
	Path string
	// Msg describes the problem, e.g. "invalid character 'x' after object key".
	Msg string
}

func (e *SyntaxError) Error() string {
	return "jsontree: " + e.Msg + " at offset " + strconv.FormatInt(e.Offset, 10) + pathSuffix(e.Path)
}

// Is reports whether target is ErrSyntax.
func (e *SyntaxError) Is(target error) bool { return target == ErrSyntax }

// LimitError reports a document that is valid JSON so far but exceeds one of
// the configured Limits (or repeats a key when duplicates are not allowed).
type LimitError struct {
	// Limit names the limit: one of LimitDepth, LimitStringBytes,
	// LimitElements, LimitDuplicateKey, LimitSize.
	Limit string
	// Max is the configured maximum (1 for LimitDuplicateKey: a key may
	// occur at most once per object).
	Max int
	// Path is the location where the limit was hit, rendered like
	// SyntaxError.Path. For LimitDuplicateKey it ends with the repeated key.
	Path string
	// Offset is the byte offset of the value, key or container that
	// exceeded the limit.
	Offset int64
	// Key is the repeated key (unescaped, shortened like Path keys) for
	// LimitDuplicateKey, "" otherwise.
	Key string
}

func (e *LimitError) Error() string {
	if e.Limit == LimitDuplicateKey {
		return "jsontree: duplicate key " + strconv.Quote(shorten(e.Key)) +
			" at offset " + strconv.FormatInt(e.Offset, 10) + pathSuffix(e.Path)
	}
	return "jsontree: " + e.Limit + " limit exceeded (max " + strconv.Itoa(e.Max) +
		") at offset " + strconv.FormatInt(e.Offset, 10) + pathSuffix(e.Path)
}

// Is reports whether target is ErrLimit.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

func pathSuffix(p string) string {
	if p == "" {
		return " (top level)"
	}
	return " (path " + p + ")"
}

// maxKeyInError bounds how much of a key is copied into error messages and
// error paths, so that hostile input cannot produce megabyte-sized log lines.
const maxKeyInError = 64

func shorten(s string) string {
	if len(s) <= maxKeyInError {
		return s
	}
	// Cut on a rune boundary.
	n := maxKeyInError
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
