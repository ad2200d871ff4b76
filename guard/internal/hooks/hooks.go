package hooks

import (
	"context"
	"io/fs"
	"net/netip"
)

// HTMLSanitizer builds a sanitising function for an HTML policy name
// ("strict" or "ugc"); the function returned is safe for concurrent use.
// It is nil unless package github.com/fnguard/fnguard/guard/sanitize is
// linked into the program: that package sets it from its init function, so
// it must only be read after package initialisation (for example in
// guard.New), never written by anything else.
var HTMLSanitizer func(policy string) (func(string) string, error)

// HTMLFields builds a function that sanitises the string values at paths
// (guard/sanitize's path syntax, relative to the JSON body) with an HTML
// policy, keeping every other byte of the body. Path errors surface here, at
// construction. Like HTMLSanitizer, it is nil unless guard/sanitize is linked.
var HTMLFields func(policy string, paths []string) (func(body []byte) ([]byte, error), error)

// SchemaSet is the part of guard/schema's *Set that the engine uses.
type SchemaSet interface {
	Routes() []string
	Validate(route string, body []byte) (ok bool, err error)
}

// Schemas compiles the JSON Schemas an FNGUARD_SCHEMAS value names, reading
// the files from fsys. It is nil unless package
// github.com/fnguard/fnguard/guard/schema is linked into the program (its
// init function sets it), so that the JSON Schema validator costs nothing
// to functions that do not use it.
var Schemas func(fsys fs.FS, v string) (SchemaSet, error)

// DenyPattern compiles an RE2 deny pattern of FNGUARD_DENY_PATTERNS into a
// function that returns the leftmost match in a string ("" when there is
// none); the function is safe for concurrent use. It is nil unless package
// github.com/fnguard/fnguard/guard/pattern is linked into the program (its
// init function sets it), so that a function without deny patterns does not
// carry the regexp engine and its Unicode tables (about 0.2 MiB and 90k
// instructions of package init).
var DenyPattern func(pattern string) (func(string) string, error)

// EgressDenial is an outbound connection that guard/egress refused (or let
// through, Monitored, in monitor mode): egress.Denial's fields.
type EgressDenial struct {
	Host      string
	Addr      netip.AddrPort
	Port      int
	Reason    string
	Network   string
	Monitored bool
}

// EgressCheck parses an egress allowlist (FNGUARD_EGRESS_ALLOW entries
// joined by ","; "" denies every destination) at guard.New, and
// EgressInstall installs it on http.DefaultTransport and the default dialer
// at Protect, returning what undoes it. Both are nil unless package
// github.com/fnguard/fnguard/guard/egress is linked into the program (its
// init function sets them), so that a function without an egress allowlist
// does not carry the policy engine.
var (
	EgressCheck   func(allow string) error
	EgressInstall func(allow string, monitor bool, onDeny func(context.Context, EgressDenial)) (restore func(), err error)
)

// LockdownCheck parses a lockdown spec (FNGUARD_LOCKDOWN) at guard.New and
// reports whether it asks for the exec lockdown; LockdownApply applies it
// at Protect (monitor: refuse nothing, log what the kernel can) and says
// whether an error means the platform does not offer it; LockdownIsDenied
// is lockdown.IsDenied. All three are nil unless package
// github.com/fnguard/fnguard/guard/lockdown is linked into the program (its
// init function sets them); without it no lockdown can be in force, so no
// error is a denial.
var (
	LockdownCheck    func(spec string) (exec bool, err error)
	LockdownApply    func(spec string, monitor bool) (unavailable bool, err error)
	LockdownIsDenied func(err error) bool
)
