package guard

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/fnguard/fnguard/guard/internal/hooks"
)

// guard links guard/egress and guard/lockdown (links.go), which register
// through hooks. Should a hook be missing all the same, asking for the
// control fails New (never a silently missing control); FNGUARD_LOCKDOWN=off
// needs nothing, and no error is an exec denial when no lockdown can be in
// force.
func TestRuntimeControlsNotLinked(t *testing.T) {
	savedEC, savedEI := hooks.EgressCheck, hooks.EgressInstall
	savedLC, savedLA, savedLD := hooks.LockdownCheck, hooks.LockdownApply, hooks.LockdownIsDenied
	hooks.EgressCheck, hooks.EgressInstall = nil, nil
	hooks.LockdownCheck, hooks.LockdownApply, hooks.LockdownIsDenied = nil, nil, nil
	defer func() {
		hooks.EgressCheck, hooks.EgressInstall = savedEC, savedEI
		hooks.LockdownCheck, hooks.LockdownApply, hooks.LockdownIsDenied = savedLC, savedLA, savedLD
	}()
	for _, tc := range []struct {
		name string
		opt  Option
		env  [2]string
		pkg  string
	}{
		{"env egress", nil, [2]string{"FNGUARD_EGRESS_ALLOW", "api.example.com"}, "guard/egress"},
		{"env egress none", nil, [2]string{"FNGUARD_EGRESS_ALLOW", "none"}, "guard/egress"},
		{"option egress", WithEgressAllow("api.example.com"), [2]string{}, "guard/egress"},
		{"env lockdown", nil, [2]string{"FNGUARD_LOCKDOWN", "exec"}, "guard/lockdown"},
		{"option lockdown", WithLockdown("exec"), [2]string{}, "guard/lockdown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := []Option{}
			if tc.opt != nil {
				opts = append(opts, WithoutEnv(), tc.opt)
			} else {
				t.Setenv(tc.env[0], tc.env[1])
			}
			_, err := New(opts...)
			var ce *ConfigError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.pkg) {
				t.Fatalf("New = %v, want a *ConfigError naming %s", err, tc.pkg)
			}
		})
	}
	t.Run("lockdown off", func(t *testing.T) {
		t.Setenv("FNGUARD_LOCKDOWN", "off")
		g, err := New()
		if err != nil {
			t.Fatal(err)
		}
		if g.ExecLockdown() != Off {
			t.Errorf("ExecLockdown = %v", g.ExecLockdown())
		}
		if g.ReportExecDenied(context.Background(), errors.New("operation not permitted")) {
			t.Error("an error counted as an exec denial with no lockdown linked")
		}
	})
}
