// Package fftest starts the real Functions Framework for Go
// (functions-framework-go) on 127.0.0.1 for the tests of this repository's
// modules that serve a function through it: middleware/guardgcf, the Cloud
// Functions examples and the deploy/gcf recipe. It is internal: not part of
// fnguard's API.
package fftest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/GoogleCloudPlatform/functions-framework-go/funcframework"
)

// Start serves the functions registered with funcframework on 127.0.0.1, on
// a free port, and returns the base URL ("http://127.0.0.1:PORT") once it
// accepts connections. A non-empty target is set as FUNCTION_TARGET: the
// registered function of that name is then served at "/" and every path
// below it, as Cloud Functions does.
//
// The framework cannot be stopped or restarted and its registrations are
// global: call Start once per test binary (behind a sync.Once). Waiting is
// bounded: 10 s per attempt, 3 attempts when the port was taken between
// choosing it and listening on it.
func Start(target string) (string, error) {
	if target != "" {
		if err := os.Setenv("FUNCTION_TARGET", target); err != nil {
			return "", err
		}
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", err
		}
		addr := l.Addr().String()
		l.Close()
		_, port, _ := net.SplitHostPort(addr)
		errc := make(chan error, 1)
		go func() { errc <- funcframework.StartHostPort("127.0.0.1", port) }()
		url, err := await(addr, errc)
		if err == nil {
			return url, nil
		}
		lastErr = err
		if !errors.Is(err, errExited) {
			return "", err
		}
	}
	return "", lastErr
}

// errExited marks a framework that stopped before accepting connections
// (typically: the port was taken).
var errExited = errors.New("functions framework exited")

// await waits until addr accepts connections, the framework returns, or
// 10 s have passed.
func await(addr string, errc <-chan error) (string, error) {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		select {
		case err := <-errc:
			return "", fmt.Errorf("%w: funcframework.StartHostPort(%s): %v", errExited, addr, err)
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return "http://" + addr, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return "", fmt.Errorf("the Functions Framework did not accept connections on %s within 10s", addr)
}

// Server is the Functions Framework of one test binary, started on first
// use: tests share it, since it cannot be stopped or started twice.
type Server struct {
	// Target is the FUNCTION_TARGET, or "" to serve every registered
	// function at its own path.
	Target string
	// Register registers the functions before the framework starts; nil
	// when they are registered elsewhere (an init function).
	Register func() error

	once sync.Once
	url  string
	err  error
}

// URL starts the framework on first use and returns its base URL; a
// framework that cannot be started fails t, in every test that uses it.
func (s *Server) URL(t testing.TB) string {
	t.Helper()
	s.once.Do(func() {
		if s.Register != nil {
			if s.err = s.Register(); s.err != nil {
				return
			}
		}
		s.url, s.err = Start(s.Target)
	})
	if s.err != nil {
		t.Fatal(s.err)
	}
	return s.url
}
