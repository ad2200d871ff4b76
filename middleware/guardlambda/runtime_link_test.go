package guardlambda

import (
	_ "github.com/fnguard/fnguard/guard/egress"   // links FNGUARD_EGRESS_ALLOW / WithEgressAllow
	_ "github.com/fnguard/fnguard/guard/lockdown" // links FNGUARD_LOCKDOWN / WithLockdown
)
