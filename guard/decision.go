package guard

import (
	"github.com/fnguard/fnguard/guard/detect"
)

// Category classifies a finding. The injection categories are those of
// package detect; the others come from the engine's own checks.
type Category = detect.Category

// Injection categories (see package detect).
const (
	SQLi           = detect.SQLi
	XSS            = detect.XSS
	CmdI           = detect.CmdI
	PathTraversal  = detect.PathTraversal
	SSRF           = detect.SSRF
	NoSQLi         = detect.NoSQLi
	SSTI           = detect.SSTI
	JNDI           = detect.JNDI
	ProtoPollution = detect.ProtoPollution
	XXE            = detect.XXE
	LDAPi          = detect.LDAPi
	// CRLF is header / protocol (HTTP, SMTP, IMAP, POP) injection.
	CRLF = detect.CRLF
	// Deserialization is a serialised-object payload (YAML tags, Java,
	// .NET, PHP, node-serialize, pickle).
	Deserialization = detect.Deserialization
	// AttackTool is a known attack-tool signature; it is reported in
	// Monitor mode unless a category mode says otherwise.
	AttackTool = detect.AttackTool
	// SessionFixation is a session identifier forced on a client (a
	// cookie set by script or markup, a session-cookie-named parameter).
	SessionFixation = detect.SessionFixation
)

// Policy categories: findings from validation, allowlists and caller checks.
const (
	Custom     Category = "custom"     // a user deny pattern (WithDenyPattern, FNGUARD_DENY_PATTERNS)
	Validation Category = "validation" // malformed, oversized or too deeply nested input
	Allowlist  Category = "allowlist"  // source IP, method, route, content type, event source or type not allowed
	Caller     Category = "caller"     // missing authorizer, claims or scopes; bad webhook or SNS signature
	Egress     Category = "egress"     // an outbound connection that the egress policy denied
	Leak       Category = "leak"       // a response that carried a credential
	// Protocol is an HTTP request that breaks the protocol's own rules the
	// way probes and evasions do (protocol.* rules: a body on a GET,
	// Content-Length and Transfer-Encoding together, invalid or %u escapes,
	// NUL bytes, restricted headers and file extensions, an unknown HTTP
	// version or charset).
	Protocol Category = "protocol"
)

// Action is what fnguard does with an invocation or a finding.
type Action uint8

// Actions, in increasing order of severity.
const (
	ActionAllow   Action = iota // nothing found: the handler runs
	ActionMonitor               // findings were logged, the handler runs
	ActionBlock                 // an attack or policy violation: the handler does not run (403)
	ActionReject                // malformed or oversized input: the handler does not run (400/413)
	ActionFail                  // inspection failed internally and the fail mode is closed (503)
)

var actionNames = [...]string{"allow", "monitor", "block", "reject", "error"}

func (a Action) String() string {
	if int(a) < len(actionNames) {
		return actionNames[a]
	}
	return "unknown"
}

// Finding is one thing fnguard noticed.
type Finding struct {
	Rule     string   // stable rule id, e.g. "sqli.tautology", "allowlist.source_cidr"
	Category Category // what kind of problem
	Location string   // where: "query.q", "headers.user-agent", "body.items[2].note", "records[3].body.name"
	Excerpt  string   // the text as sent around what triggered the rule, redacted, then cut at token boundaries
	Action   Action   // ActionBlock, ActionReject or ActionMonitor for this finding
	Record   int      // index into Invocation.Records, or -1 when not record-scoped
	// DecodedExcerpt is the decoded text that matched, redacted and cut
	// like Excerpt, when it differs from the text as sent (percent-, HTML-
	// entity-, \u- or \x-escaped, full-width, JSON or base64 inside a
	// string); "" when the rule matched the text as sent.
	DecodedExcerpt string
}

// Decision is the verdict on one invocation. It is a value: adapters map it
// to what their platform expects.
type Decision struct {
	Action   Action
	Status   int    // HTTP status to answer with when the handler must not run: 403, 400, 413, 503; 0 otherwise
	Reason   string // short human-readable reason for a block, rejection or failure
	Findings []Finding

	// BlockedRecords lists the indexes of records that must not reach the
	// handler. When Action is ActionBlock and Partial() is true, only these
	// records are poisoned: batch sources drop them from the event and report
	// them as batch item failures; other sources block the whole event.
	// For an ordered batch (Invocation.Order) Guard.Run adds the later
	// records that the order ties to a poisoned one (they have no finding
	// of their own).
	BlockedRecords []int

	// Body, when non-nil, replaces the invocation's body for the handler
	// (HTML sanitising of selected fields).
	Body []byte

	noGuard bool // the decision of a nil *Guard: Err is ErrNoGuard
}

// Allowed reports whether the handler may run (ActionAllow or ActionMonitor).
func (d *Decision) Allowed() bool { return d.Action <= ActionMonitor }

// Partial reports whether a block concerns only some records: every blocking
// finding is record-scoped. Adapters of batch sources then hand the clean
// records to the handler and report the others as failures.
func (d *Decision) Partial() bool {
	return d.Action == ActionBlock && d.recordScoped()
}

// recordScoped reports whether some records are blocked and every finding
// that stops the handler belongs to a record.
func (d *Decision) recordScoped() bool {
	if len(d.BlockedRecords) == 0 {
		return false
	}
	for i := range d.Findings {
		if d.Findings[i].Action >= ActionBlock && d.Findings[i].Record < 0 {
			return false
		}
	}
	return true
}

// Err returns the decision as an error: nil when the handler may run,
// otherwise a *BlockedError (which wraps ErrBlocked, ErrRejected or
// ErrFailed) that async sources return to the platform so that its retry and
// dead-letter machinery keeps the event. The decision Guard.Run makes for a
// nil *Guard returns ErrNoGuard itself.
func (d *Decision) Err() error {
	if d.Allowed() {
		return nil
	}
	if d.noGuard {
		return ErrNoGuard
	}
	return &BlockedError{Decision: *d}
}
