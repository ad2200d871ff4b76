package guard

// The runtime controls are linked by default: setting FNGUARD_EGRESS_ALLOW
// or FNGUARD_LOCKDOWN (or calling WithEgressAllow / WithLockdown) is all a
// function needs, as for every other control a variable turns on. They
// cost about 0.12 MiB of a stripped binary. The heavier optional parts
// (guard/schema, guard/sanitize, guard/pattern for FNGUARD_DENY_PATTERNS)
// stay opt-in imports; New names the import when one is missing.
import (
	_ "github.com/fnguard/fnguard/guard/egress"
	_ "github.com/fnguard/fnguard/guard/lockdown"
)
