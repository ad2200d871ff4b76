package egress

import (
	"context"

	"github.com/fnguard/fnguard/guard/internal/hooks"
)

// Registering here (guard links this package, guard/links.go) lets
// guard.New honour FNGUARD_EGRESS_ALLOW and
// guard.WithEgressAllow; without it, either is a configuration error, never
// an uncontrolled egress.
func init() {
	hooks.EgressCheck = func(allow string) error {
		_, err := ParseAllowList(allow)
		return err
	}
	hooks.EgressInstall = func(allow string, monitor bool, onDeny func(context.Context, hooks.EgressDenial)) (func(), error) {
		rules, err := ParseAllowList(allow)
		if err != nil {
			return nil, err
		}
		mode := Block
		if monitor {
			mode = Monitor
		}
		p, err := New(Config{Allow: rules, Mode: mode, OnDeny: func(ctx context.Context, d Denial) {
			onDeny(ctx, hooks.EgressDenial{Host: d.Host, Addr: d.Addr, Port: d.Port, Reason: d.Reason, Network: d.Network, Monitored: d.Monitored})
		}})
		if err != nil {
			return nil, err
		}
		return p.Install(), nil
	}
}
