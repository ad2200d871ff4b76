package detect

import (
	"errors"
	"strconv"
	"strings"
)

// ErrUnknownCategory is wrapped by the error returned by [ParseCategory] and
// [New] when a category name is not one of [Categories].
var ErrUnknownCategory = errors.New("detect: unknown category")

// ErrInvalidRule is wrapped by every [*RuleError].
var ErrInvalidRule = errors.New("detect: invalid rule")

// CategoryError reports a category name that is not valid.
type CategoryError struct {
	// Field names where the value came from, e.g. "Config.Categories[2]";
	// empty for ParseCategory.
	Field string
	// Value is the offending name.
	Value string
}

func (e *CategoryError) Error() string {
	var b strings.Builder
	b.WriteString("detect: ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString("unknown category ")
	b.WriteString(strconv.Quote(e.Value))
	b.WriteString(" (valid: ")
	for i, c := range allCategories {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(c))
	}
	b.WriteString(")")
	return b.String()
}

// Unwrap lets errors.Is(err, ErrUnknownCategory) succeed.
func (e *CategoryError) Unwrap() error { return ErrUnknownCategory }

// RuleError reports a user [Rule] that New could not accept.
type RuleError struct {
	// Index is the position of the rule in Config.Rules.
	Index int
	// ID is the rule's ID as given (may be empty when that is the problem).
	ID string
	// Field is the Rule field at fault: "ID", "Category" or "Pattern".
	Field string
	// Err is the underlying cause (a *regexp syntax error, a *CategoryError,
	// or a description).
	Err error
}

func (e *RuleError) Error() string {
	return "detect: Config.Rules[" + strconv.Itoa(e.Index) + "] (id " + strconv.Quote(e.ID) + ") " +
		e.Field + ": " + e.Err.Error()
}

// Unwrap returns both ErrInvalidRule and the cause.
func (e *RuleError) Unwrap() []error { return []error{ErrInvalidRule, e.Err} }
