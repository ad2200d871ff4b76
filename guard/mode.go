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

// FIFOScope is which records an SQS FIFO batch fails after a failed record
// (FNGUARD_FIFO_SCOPE).
type FIFOScope uint8

const (
	// FIFOScopeBatch fails every later record of the batch, as AWS
	// documents for partial batch responses of FIFO queues and as
	// Powertools' FIFO batch processor does (default).
	FIFOScopeBatch FIFOScope = iota
	// FIFOScopeGroup fails only the later records of the failed record's
	// message group (MessageGroupId): other groups keep flowing.
	FIFOScopeGroup
)

func (s FIFOScope) String() string {
	if s == FIFOScopeGroup {
		return "group"
	}
	return "batch"
}

// ParseFIFOScope parses "batch" or "group".
func ParseFIFOScope(s string) (FIFOScope, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "batch":
		return FIFOScopeBatch, nil
	case "group":
		return FIFOScopeGroup, nil
	}
	return 0, &ConfigError{Var: "FIFO scope", Value: s, Want: "batch or group"}
}

// StreamOrder is what a failed record of a Kinesis or DynamoDB stream does
// to the later records of its shard (FNGUARD_STREAM_ORDER).
type StreamOrder uint8

const (
	// StreamOrderStrict fails the later records of the shard too: they are
	// not handed to the handler and Lambda delivers them again, after the
	// failed one, from its checkpoint (default).
	StreamOrderStrict StreamOrder = iota
	// StreamOrderUnordered lets the later records reach the handler: only
	// the failed record is reported. Lambda still resumes the shard from
	// the lowest failed sequence number, so the later records are
	// delivered again (the handler must be idempotent) and processed out
	// of order.
	StreamOrderUnordered
)

func (o StreamOrder) String() string {
	if o == StreamOrderUnordered {
		return "unordered"
	}
	return "strict"
}

// ParseStreamOrder parses "strict" or "unordered".
func ParseStreamOrder(s string) (StreamOrder, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "strict":
		return StreamOrderStrict, nil
	case "unordered":
		return StreamOrderUnordered, nil
	}
	return 0, &ConfigError{Var: "stream order", Value: s, Want: "strict or unordered"}
}
