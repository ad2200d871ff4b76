package lockdown

import (
	"errors"

	"github.com/fnguard/fnguard/guard/internal/hooks"
)

// Registering here (guard links this package, guard/links.go) lets
// guard.New honour FNGUARD_LOCKDOWN and
// guard.WithLockdown; without it, a lockdown other than "off" is a
// configuration error, never a silently unlocked process.
func init() {
	hooks.LockdownCheck = func(spec string) (bool, error) {
		s, err := ParseSpec(spec)
		return s.Exec, err
	}
	hooks.LockdownApply = func(spec string, monitor bool) (bool, error) {
		s, err := ParseSpec(spec)
		if err != nil {
			return false, err
		}
		if monitor {
			err = ApplyMonitor(s)
		} else {
			err = Apply(s)
		}
		return errors.Is(err, ErrUnavailable), err
	}
	hooks.LockdownIsDenied = IsDenied
}
