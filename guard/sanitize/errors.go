package sanitize

import (
	"errors"
	"fmt"
)

// ErrUnknownPolicy is wrapped by the errors of [ParsePolicy] and [New].
var ErrUnknownPolicy = errors.New("sanitize: unknown HTML policy")

// ErrBadPath is wrapped by every [*PathError].
var ErrBadPath = errors.New("sanitize: bad JSON field path")

// ErrBadJSON is wrapped by every [*JSONError].
var ErrBadJSON = errors.New("sanitize: invalid JSON")

// PathError reports a field path that [Sanitizer.JSONFields] cannot parse.
type PathError struct {
	Path   string // the path as given
	Offset int    // byte offset in Path where the problem is
	Reason string
}

func (e *PathError) Error() string {
	return fmt.Sprintf("sanitize: field path %q: %s at byte %d", e.Path, e.Reason, e.Offset)
}

// Unwrap returns [ErrBadPath].
func (e *PathError) Unwrap() error { return ErrBadPath }

// JSONError reports a body that is not valid JSON.
type JSONError struct {
	Offset int    // byte offset in the body
	Path   string // location in the document where parsing failed, e.g. "items[2].note" ("" at the root)
	Reason string
}

func (e *JSONError) Error() string {
	loc := e.Path
	if loc == "" {
		loc = "(root)"
	}
	return fmt.Sprintf("sanitize: invalid JSON at byte %d (in %s): %s", e.Offset, loc, e.Reason)
}

// Unwrap returns [ErrBadJSON].
func (e *JSONError) Unwrap() error { return ErrBadJSON }
