package redact

import (
	"errors"
	"fmt"
)

// ErrBadPattern is the sentinel wrapped by every [*PatternError].
var ErrBadPattern = errors.New("redact: bad key pattern")

// PatternError reports a key pattern of [Config.ExtraKeys] that [New]
// refused.
type PatternError struct {
	Index   int    // position in Config.ExtraKeys
	Pattern string // the pattern as given
	Reason  string // what is wrong with it
}

func (e *PatternError) Error() string {
	return fmt.Sprintf("redact: Config.ExtraKeys[%d] %q: %s", e.Index, e.Pattern, e.Reason)
}

// Unwrap returns [ErrBadPattern], so errors.Is(err, ErrBadPattern) holds.
func (e *PatternError) Unwrap() error { return ErrBadPattern }
