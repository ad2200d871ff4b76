package schema

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors, for errors.Is.
var (
	// ErrInvalid matches every *ValidationError: the body does not conform
	// to the schema registered for its route.
	ErrInvalid = errors.New("schema: body does not match the route's JSON Schema")
	// ErrConfig matches every *ConfigError: a schema, a route or an
	// FNGUARD_SCHEMAS entry is unusable. It surfaces at start-up.
	ErrConfig = errors.New("schema: invalid schema configuration")
)

// Failure is one way in which a body violates its schema.
type Failure struct {
	// Location is where, rendered like fnguard finding locations:
	// "body", "body.items[2].qty", `body["x-y"]`. For a missing or
	// disallowed property it names the property itself.
	Location string
	// Keyword is the JSON Schema keyword that failed ("type", "required",
	// "minimum", "additionalProperties", ...), or "json" when the body is not
	// JSON at all. Suitable for a rule id such as "schema.minimum".
	Keyword string
	// Message says what is wrong without quoting the client's data:
	// "must be >= 1", "is required", "must be integer, got string".
	Message string
}

func (f Failure) String() string { return f.Location + ": " + f.Message }

// ValidationError lists why a body does not conform to its route's schema.
// Failures are sorted by location and capped at MaxFailures; Omitted counts
// the rest.
type ValidationError struct {
	Route    string
	Failures []Failure
	Omitted  int
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("schema: ")
	b.WriteString(e.Route)
	b.WriteString(": ")
	for i, f := range e.Failures {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.String())
	}
	if e.Omitted > 0 {
		b.WriteString(" (and ")
		b.WriteString(strconv.Itoa(e.Omitted))
		b.WriteString(" more)")
	}
	return b.String()
}

// EachFailure calls fn for every listed failure, in order. It lets code that
// must not import this package (the engine, through an interface and
// errors.As) turn failures into findings.
func (e *ValidationError) EachFailure(fn func(location, keyword, message string)) {
	for _, f := range e.Failures {
		fn(f.Location, f.Keyword, f.Message)
	}
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// ConfigError reports an unusable schema, route or FNGUARD_SCHEMAS entry.
type ConfigError struct {
	Entry string // the FNGUARD_SCHEMAS entry, for ParseEnv errors
	Route string // the route whose schema failed, for Load and LoadFS errors
	Path  string // the schema file, for LoadFS errors
	Err   error  // what is wrong
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString("schema: ")
	switch {
	case e.Entry != "" || e.Route == "" && e.Path == "":
		b.WriteString("FNGUARD_SCHEMAS entry ")
		b.WriteString(strconv.Quote(e.Entry))
	default:
		b.WriteString("route ")
		b.WriteString(strconv.Quote(e.Route))
		if e.Path != "" {
			b.WriteString(", file ")
			b.WriteString(strconv.Quote(e.Path))
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Is makes errors.Is(err, ErrConfig) true.
func (e *ConfigError) Is(target error) bool { return target == ErrConfig }

// Unwrap returns the underlying error.
func (e *ConfigError) Unwrap() error { return e.Err }
