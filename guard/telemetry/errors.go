package telemetry

import (
	"errors"
	"fmt"
)

// ErrConfig is wrapped by every [*ConfigError].
var ErrConfig = errors.New("telemetry: invalid configuration")

// ConfigError reports a [Config] field that [New] refused, or an
// OpenTelemetry instrument it could not create.
type ConfigError struct {
	Field  string // e.g. "LogRate"
	Value  string // the offending value, formatted
	Reason string
	Err    error // underlying error, if any
}

func (e *ConfigError) Error() string {
	msg := fmt.Sprintf("telemetry: Config.%s = %s: %s", e.Field, e.Value, e.Reason)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns [ErrConfig] and the underlying error.
func (e *ConfigError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrConfig, e.Err}
	}
	return []error{ErrConfig}
}
