package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	_ "github.com/fnguard/fnguard/guard/pattern" // replayed policies may set FNGUARD_DENY_PATTERNS
)

// parseDotenv reads KEY=VALUE lines (dotenv format): blank lines and
// # comments are skipped, an optional "export " prefix is accepted, values
// may be single-quoted (literal), double-quoted (Go-style escapes) or bare
// (trailing " #" comments removed). Errors name the file and line.
func parseDotenv(name string, r io.Reader) (map[string]string, error) {
	env := map[string]string{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" || strings.ContainsAny(k, " \t\"'") {
			return nil, fmt.Errorf("%s:%d: want KEY=VALUE", name, n)
		}
		v = strings.TrimSpace(v)
		switch {
		case strings.HasPrefix(v, "'"):
			end := strings.LastIndexByte(v, '\'')
			if end == 0 {
				return nil, fmt.Errorf("%s:%d: %s: unterminated single quote", name, n, k)
			}
			v = v[1:end]
		case strings.HasPrefix(v, `"`):
			end := strings.LastIndexByte(v, '"')
			if end == 0 {
				return nil, fmt.Errorf("%s:%d: %s: unterminated double quote", name, n, k)
			}
			u, err := strconv.Unquote(v[:end+1])
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %s: %v", name, n, k, err)
			}
			v = u
		default:
			if i := strings.Index(v, " #"); i >= 0 {
				v = strings.TrimSpace(v[:i])
			}
		}
		env[k] = v
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return env, nil
}

// newGuard builds the guard the middleware would build in a function whose
// environment is the process environment plus the --env file (the file
// wins). The policy comes from FNGUARD_* variables exactly as at a cold
// start; fnguard's own log lines are not written (the command reports the
// decisions itself).
func newGuard(envFile string) (*guard.Guard, error) {
	if envFile != "" {
		f, err := os.Open(envFile)
		if err != nil {
			return nil, err
		}
		env, err := parseDotenv(envFile, f)
		f.Close()
		if err != nil {
			return nil, err
		}
		for k, v := range env {
			if err := os.Setenv(k, v); err != nil {
				return nil, fmt.Errorf("%s: %s: %w", envFile, k, err)
			}
		}
	}
	return guard.New(guard.WithLogger(zap.NewNop()))
}
