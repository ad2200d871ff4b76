package schema

import (
	"io/fs"

	"github.com/fnguard/fnguard/guard/internal/hooks"
)

// Linking this package (import _ "github.com/fnguard/fnguard/guard/schema")
// lets guard.New honour FNGUARD_SCHEMAS; without it, a set FNGUARD_SCHEMAS is
// a configuration error, never a silently unvalidated body.
func init() {
	hooks.Schemas = func(fsys fs.FS, v string) (hooks.SchemaSet, error) {
		s, err := LoadEnv(fsys, v)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
}
