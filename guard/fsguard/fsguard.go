package fsguard

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/fnguard/fnguard/guard"
)

// Rules of file sink findings.
const (
	RuleTraversal = "file.traversal" // the input's ".." segments climb out of the directory it was joined to
	RuleAbsolute  = "file.absolute"  // the input is an absolute path and the call opens it (or a path under it)
	RuleNUL       = "file.nul"       // the input puts a NUL byte in the path
)

// Open is os.Open after checking name against the inputs of the invocation
// in ctx. A blocked open returns an error for which
// errors.Is(err, guard.ErrBlocked) holds, and no file.
func Open(ctx context.Context, name string) (*os.File, error) {
	return OpenFile(ctx, name, os.O_RDONLY, 0)
}

// OpenFile is os.OpenFile after checking name against the inputs of the
// invocation in ctx (see Open).
func OpenFile(ctx context.Context, name string, flag int, perm os.FileMode) (*os.File, error) {
	if err := Check(ctx, name); err != nil {
		return nil, err
	}
	return os.OpenFile(name, flag, perm)
}

// Check judges a path the program is about to use (with os.ReadFile,
// os.Remove, an os.Root...) against the inputs of the invocation in ctx.
func Check(ctx context.Context, name string) error {
	return guard.CheckSink(ctx, guard.SinkCheck{Kind: guard.SinkFile, Statement: name,
		Judge: func(in string) (guard.SinkVerdict, string) { return Judge(name, in) }})
}

// Judge says whether input subverts the path name: it contains a NUL byte
// and is in name; its ".." segments climb above the directory it was joined
// to and it is in name (concatenated) or its remainder ends name (joined
// with filepath.Join, which cleans the ".." away); or it is an absolute
// path that name is, or is under. URL-escaped input (%2e%2e%2f) is also
// judged decoded, for code that unescapes it.
func Judge(name, input string) (guard.SinkVerdict, string) {
	if len(input) < guard.MinSinkInput {
		return guard.SinkSafe, ""
	}
	if v, r := judge(name, input); v != guard.SinkSafe {
		return v, r
	}
	if strings.IndexByte(input, '%') >= 0 {
		if dec, err := url.PathUnescape(input); err == nil && dec != input {
			return judge(name, dec)
		}
	}
	return guard.SinkSafe, ""
}

func judge(name, input string) (guard.SinkVerdict, string) {
	nul := strings.IndexByte(input, 0) >= 0
	dots := strings.Contains(input, "..")
	abs := isAbs(input)
	if !nul && !dots && !abs {
		return guard.SinkSafe, ""
	}
	if nul && strings.Contains(name, input) {
		return guard.SinkInjection, RuleNUL
	}
	if dots {
		if rest, escapes := climb(input); escapes {
			if strings.Contains(name, input) {
				return guard.SinkInjection, RuleTraversal
			}
			if rest != "" {
				clean := filepath.ToSlash(filepath.Clean(name))
				if clean == rest || strings.HasSuffix(clean, "/"+rest) {
					return guard.SinkInjection, RuleTraversal
				}
			}
		}
	}
	if abs {
		in := filepath.ToSlash(filepath.Clean(input))
		clean := filepath.ToSlash(filepath.Clean(name))
		if clean == in || strings.HasPrefix(clean, strings.TrimSuffix(in, "/")+"/") {
			return guard.SinkInjection, RuleAbsolute
		}
	}
	return guard.SinkSafe, ""
}

// climb reports whether p's ".." segments go above its start, and what is
// left of p once cleaned of its leading "../" (slash-separated).
func climb(p string) (rest string, escapes bool) {
	p = filepath.ToSlash(p)
	depth := 0
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "", ".":
		case "..":
			if depth--; depth < 0 {
				escapes = true
			}
		default:
			depth++
		}
	}
	if !escapes {
		return "", false
	}
	c := filepath.ToSlash(filepath.Clean(p))
	for strings.HasPrefix(c, "../") {
		c = c[3:]
	}
	if c == ".." || c == "." {
		c = ""
	}
	return strings.TrimPrefix(c, "/"), true
}

// isAbs reports an absolute path in this OS's sense, or a Unix one.
func isAbs(p string) bool {
	return filepath.IsAbs(p) || p[0] == '/'
}
