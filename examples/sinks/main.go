// Command sinks is a small Lambda with deliberately vulnerable code — a
// concatenated SQL query, a shell call, a file read and a URL fetch — run
// with fnguard's input checks in monitor mode and its sink checks in block
// mode (the low-false-positive setup). Each attack gets past the input
// checks (logged as "monitored") and is stopped at its sink, with its own
// log line naming the sink, the rule and the input's location.
//
// Run the demonstration locally (no AWS needed):
//
//	go run .
//	go test -v
//
// Deployed (AWS_LAMBDA_RUNTIME_API set) it serves API Gateway HTTP API
// events.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/aws/aws-lambda-go/lambda"
	_ "modernc.org/sqlite"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/sqlguard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// newGuard is the low-false-positive setup: input findings are logged
// (FNGUARD_MODE=monitor), sink findings block (FNGUARD_SINK_MODE=block, the
// default).
func newGuard(opts ...guard.Option) (*guard.Guard, error) {
	return guard.New(append([]guard.Option{guard.WithMode(guard.Monitor), guard.WithSinkMode(guard.Block)}, opts...)...)
}

// newApp opens a SQLite database in dir with a few rows, and a directory of
// public files next to a secret one.
func newApp(dir, weather string) (*app, error) {
	db, err := sqlguard.Open("sqlite", filepath.Join(dir, "shop.db"))
	if err != nil {
		return nil, err
	}
	for _, s := range []string{
		"CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT, price REAL)",
		"CREATE TABLE IF NOT EXISTS users (name TEXT, password TEXT)",
		"DELETE FROM items", "DELETE FROM users",
		"INSERT INTO items VALUES (1, 'lamp', 19.5), (2, 'desk', 120), (3, 'chair', 45)",
		"INSERT INTO users VALUES ('admin', 'hunter2')",
	} {
		if _, err := db.Exec(s); err != nil { // no invocation in this ctx: not checked
			return nil, err
		}
	}
	files := filepath.Join(dir, "public")
	if err := os.MkdirAll(files, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(files, "readme.txt"), []byte("welcome"), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("the secret"), 0o600); err != nil {
		return nil, err
	}
	return &app{db: db, files: files, client: http.DefaultClient, weather: weather}, nil
}

// internalService stands for what an SSRF goes after (a metadata endpoint,
// an internal API) and for the program's own weather service.
func internalService() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/weather" {
			fmt.Fprintf(w, "sunny in %s", r.URL.Query().Get("city"))
			return
		}
		fmt.Fprint(w, "AccessKeyId=AKIA-INTERNAL-ONLY")
	}))
}

func main() {
	g, err := newGuard()
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "fnguard-sinks")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	internal := internalService()
	defer internal.Close()
	a, err := newApp(dir, internal.URL)
	if err != nil {
		log.Fatal(err)
	}
	h := guardlambda.Wrap(g, a.handle)
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" {
		lambda.Start(h)
		return
	}
	for _, c := range demo(internal.URL) {
		status, body, err := invoke(context.Background(), h, c.path, c.query)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-8s %-10s %s?%v -> %d %s\n\n", c.kind, c.what, c.path, c.query, status, body)
	}
}

// sqlOpen is here so that the example's tests can share the driver import.
var _ = sql.Drivers
