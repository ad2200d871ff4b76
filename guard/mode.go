package guard

import "strings"

// Mode is how fnguard acts on what it finds.
type Mode uint8

const (
	// Block stops an invocation that carries an attack or violates the
	// policy: the handler does not run. The default.
	Block Mode = iota
	// Monitor inspects and logs, but always runs the handler.
	Monitor
	// Off skips inspection entirely.
	Off
)

var modeNames = [...]string{"block", "monitor", "off"}

func (m Mode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return "invalid"
}

// ParseMode parses "block", "monitor" or "off" (case-insensitive).
func ParseMode(s string) (Mode, error) {
	for i, n := range modeNames {
		if strings.EqualFold(strings.TrimSpace(s), n) {
			return Mode(i), nil
		}
	}
	return 0, &ConfigError{Var: "mode", Value: s, Want: "block, monitor or off"}
}

// FailMode decides what happens when inspection itself fails (an internal
// error or a recovered panic).
type FailMode uint8

const (
	// FailClosed refuses the invocation (503 for HTTP sources, an error for
	// the others). The default.
	FailClosed FailMode = iota
	// FailOpen runs the handler and logs the failure.
	FailOpen
)

func (f FailMode) String() string {
	if f == FailOpen {
		return "open"
	}
	return "closed"
}

// ParseFailMode parses "closed" or "open".
func ParseFailMode(s string) (FailMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "closed":
		return FailClosed, nil
	case "open":
		return FailOpen, nil
	}
	return 0, &ConfigError{Var: "fail", Value: s, Want: "closed or open"}
}

// ResponseScan is what happens to a response that carries a credential.
type ResponseScan uint8

const (
	ResponseScanOff   ResponseScan = iota // responses are not scanned (default)
	ResponseScanBlock                     // the response is replaced by a 500 error
	ResponseScanScrub                     // the credential is masked in the response
)

func (r ResponseScan) String() string {
	return [...]string{"off", "block", "scrub"}[r%3]
}

// ParseResponseScan parses "off", "block" or "scrub".
func ParseResponseScan(s string) (ResponseScan, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "off":
		return ResponseScanOff, nil
	case "block":
		return ResponseScanBlock, nil
	case "scrub":
		return ResponseScanScrub, nil
	}
	return 0, &ConfigError{Var: "response scan", Value: s, Want: "off, block or scrub"}
}
