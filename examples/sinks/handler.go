package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/execguard"
	"github.com/fnguard/fnguard/guard/fsguard"
)

// app is a deliberately vulnerable function: every route builds what it
// executes from the request by concatenation. Do not copy it; it shows
// where fnguard's sink checks stop each attack.
type app struct {
	db      *sql.DB      // opened with sqlguard.Open
	files   string       // directory served by /files
	client  *http.Client // http.DefaultClient: Protect installs the SSRF check on its transport
	weather string       // base URL of an internal service the program itself calls
}

func (a *app) handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	q := req.QueryStringParameters
	var (
		out string
		err error
	)
	switch req.RawPath {
	case "/items": // SQL: a concatenated query
		out, err = a.item(ctx, q["id"])
	case "/items/sorted": // SQL: a concatenated ORDER BY
		out, err = a.sorted(ctx, q["sort"])
	case "/check": // shell: input in a sh -c script
		out, err = a.check(ctx, q["host"])
	case "/files": // file: input joined to a directory
		out, err = a.file(ctx, q["name"])
	case "/fetch": // outbound HTTP: a URL from input
		out, err = a.fetch(ctx, q["url"])
	case "/weather": // outbound HTTP to the program's own host: input only in the query
		out, err = a.fetch(ctx, a.weather+"/weather?city="+q["city"])
	default:
		return respond(404, "no such route"), nil
	}
	switch {
	case errors.Is(err, guard.ErrBlocked):
		return respond(403, "refused: "+err.Error()), nil
	case err != nil:
		return respond(500, err.Error()), nil
	}
	return respond(200, out), nil
}

func (a *app) item(ctx context.Context, id string) (string, error) {
	rows, err := a.db.QueryContext(ctx, "SELECT name FROM items WHERE id = "+id)
	if err != nil {
		return "", err
	}
	return names(rows)
}

func (a *app) sorted(ctx context.Context, sort string) (string, error) {
	rows, err := a.db.QueryContext(ctx, "SELECT name FROM items ORDER BY "+sort)
	if err != nil {
		return "", err
	}
	return names(rows)
}

func names(rows *sql.Rows) (string, error) {
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return "", err
		}
		out = append(out, n)
	}
	return strings.Join(out, ","), rows.Err()
}

func (a *app) check(ctx context.Context, host string) (string, error) {
	cmd, err := execguard.Command(ctx, "/bin/sh", "-c", "echo checking "+host)
	if err != nil {
		return "", err
	}
	b, err := cmd.Output()
	return strings.TrimSpace(string(b)), err
}

func (a *app) file(ctx context.Context, name string) (string, error) {
	f, err := fsguard.Open(ctx, filepath.Join(a.files, name))
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 1<<16))
	return string(b), err
}

func (a *app) fetch(ctx context.Context, url string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	return fmt.Sprintf("%d %s", resp.StatusCode, b), err
}

func respond(status int, body string) events.APIGatewayV2HTTPResponse {
	return events.APIGatewayV2HTTPResponse{StatusCode: status, Body: body, Headers: map[string]string{"content-type": "text/plain"}}
}
