package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// MaxFailures caps the failures listed in one ValidationError.
const MaxFailures = 20

// MaxDepth caps the nesting of a body that Validate will decode. The engine
// normally refuses deep bodies long before (FNGUARD_MAX_DEPTH, default 64);
// this bound keeps validation time linear in the body size even when that
// limit is raised, because the validator's cost grows with depth squared.
const MaxDepth = 1000

// Set is a compiled JSON Schema per route. It is immutable and safe for
// concurrent use. A nil *Set has no routes.
type Set struct {
	schemas map[string]*jsonschema.Schema
	routes  []string
}

// Load compiles one schema document (JSON) per route. routes maps a route
// pattern, exactly as the engine's route allowlist writes it ("POST /orders",
// "/orders/*"), to its schema; the engine matches requests to routes and
// calls Validate with the key. The error, a *ConfigError, names the route
// and the problem. A document may use "$ref" within itself and to the
// standard meta-schemas, but cannot load other documents.
func Load(routes map[string][]byte) (*Set, error) {
	c := newCompiler(nil)
	keys := sortedKeys(routes)
	locs := make(map[string]string, len(routes))
	// Register every document first, so that compilation does not depend
	// on the order of the routes.
	for _, route := range keys {
		if err := checkRoute(route); err != nil {
			return nil, &ConfigError{Route: route, Err: err}
		}
		doc := routes[route]
		if len(bytes.TrimSpace(doc)) == 0 {
			return nil, &ConfigError{Route: route, Err: errors.New("empty schema document")}
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
		if err != nil {
			return nil, &ConfigError{Route: route, Err: fmt.Errorf("schema is not valid JSON: %w", err)}
		}
		loc := (&url.URL{Scheme: "route", Path: "/" + route}).String()
		if err := c.AddResource(loc, v); err != nil {
			return nil, &ConfigError{Route: route, Err: err}
		}
		locs[route] = loc
	}
	s := &Set{schemas: make(map[string]*jsonschema.Schema, len(routes)), routes: keys}
	for _, route := range keys {
		sch, err := c.Compile(locs[route])
		if err != nil {
			return nil, &ConfigError{Route: route, Err: err}
		}
		s.schemas[route] = sch
	}
	return s, nil
}

// LoadFS compiles the schema file named for each route, read from fsys
// (an embed.FS, os.DirFS(...)). Paths are slash-separated and relative to
// the root of fsys ("schemas/order.json"; a leading "./" is accepted).
// Schema files may "$ref" other files of fsys by relative path
// ("common.json#/$defs/money"); routes that share a file share its compiled
// schema. An "$id" names resources within its document but cannot make a
// reference reach outside fsys. The error, a *ConfigError, names the route, the file and the
// problem.
func LoadFS(fsys fs.FS, routes map[string]string) (*Set, error) {
	if fsys == nil {
		return nil, &ConfigError{Route: "*", Err: errors.New("nil fs.FS")}
	}
	c := newCompiler(fsys)
	s := &Set{schemas: make(map[string]*jsonschema.Schema, len(routes))}
	for _, route := range sortedKeys(routes) {
		file := routes[route]
		if err := checkRoute(route); err != nil {
			return nil, &ConfigError{Route: route, Path: file, Err: err}
		}
		p, err := cleanPath(file)
		if err != nil {
			return nil, &ConfigError{Route: route, Path: file, Err: err}
		}
		sch, err := c.Compile(fsURL(p))
		if err != nil {
			return nil, &ConfigError{Route: route, Path: file, Err: err}
		}
		s.schemas[route] = sch
	}
	s.routes = sortedKeys(s.schemas)
	return s, nil
}

// LoadEnv is ParseEnv followed by LoadFS: it compiles the schemas that an
// FNGUARD_SCHEMAS value names, reading them from fsys (typically
// os.DirFS of the function's root, e.g. LAMBDA_TASK_ROOT).
func LoadEnv(fsys fs.FS, v string) (*Set, error) {
	routes, err := ParseEnv(v)
	if err != nil {
		return nil, err
	}
	return LoadFS(fsys, routes)
}

// ParseEnv parses an FNGUARD_SCHEMAS value: entries separated by ';', each
// "<route>=<schema file>", e.g.
//
//	POST /orders=schemas/order.json;PUT /orders/*=schemas/order.json
//
// The route ends at the first '='; spaces around routes and files are
// trimmed; empty entries are skipped. The error, a *ConfigError, quotes the
// bad entry.
func ParseEnv(v string) (map[string]string, error) {
	routes := make(map[string]string)
	for entry := range strings.SplitSeq(v, ";") {
		if strings.TrimSpace(entry) == "" {
			continue
		}
		route, file, ok := strings.Cut(entry, "=")
		route, file = strings.TrimSpace(route), strings.TrimSpace(file)
		switch {
		case !ok:
			return nil, &ConfigError{Entry: entry, Err: errors.New(`want "<route>=<schema file>"`)}
		case route == "":
			return nil, &ConfigError{Entry: entry, Err: errors.New("empty route")}
		case file == "":
			return nil, &ConfigError{Entry: entry, Err: errors.New("empty schema file")}
		}
		if _, dup := routes[route]; dup {
			return nil, &ConfigError{Entry: entry, Err: fmt.Errorf("route %q given twice", route)}
		}
		if _, err := cleanPath(file); err != nil {
			return nil, &ConfigError{Entry: entry, Err: err}
		}
		routes[route] = file
	}
	return routes, nil
}

// Routes returns the routes that have a schema, sorted.
func (s *Set) Routes() []string {
	if s == nil {
		return nil
	}
	return slices.Clone(s.routes)
}

// Validate validates a JSON body against the schema registered for route
// (the exact key given to Load or LoadFS). ok is false when no schema is
// registered for route (err is then nil): the body was not checked. When ok
// is true, err is nil for a conforming body and a *ValidationError
// (errors.Is(err, ErrInvalid)) for one that is not JSON or does not conform.
// Any other error means validation itself failed and the body was not
// judged. Validate never panics; it is safe for concurrent use.
func (s *Set) Validate(route string, body []byte) (ok bool, err error) {
	if s == nil {
		return false, nil
	}
	sch := s.schemas[route]
	if sch == nil {
		return false, nil
	}
	defer func() {
		if r := recover(); r != nil {
			ok = true
			err = fmt.Errorf("schema: route %q: validator panicked: %v", route, r)
		}
	}()
	inst, err := decode(body)
	if err != nil {
		return true, &ValidationError{Route: route, Failures: []Failure{{Location: "body", Keyword: "json", Message: jsonMessage(err)}}}
	}
	verr := sch.Validate(inst)
	if verr == nil {
		return true, nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(verr, &ve) {
		return true, fmt.Errorf("schema: route %q: %w", route, verr)
	}
	failures, omitted := collect(ve, inst)
	return true, &ValidationError{Route: route, Failures: failures, Omitted: omitted}
}

// decode parses exactly one JSON value, numbers kept exact (json.Number).
func decode(body []byte) (any, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, io.EOF
	}
	if tooDeep(body, MaxDepth) {
		return nil, errTooDeep
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(body))
}

var errTooDeep = fmt.Errorf("nested deeper than %d levels", MaxDepth)

// tooDeep reports whether the arrays and objects of body nest deeper than
// max, ignoring brackets inside strings. It does not validate the JSON.
func tooDeep(body []byte, max int) bool {
	depth, inString := 0, false
	for i := 0; i < len(body); i++ {
		c := body[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '[', '{':
			depth++
			if depth > max {
				return true
			}
		case ']', '}':
			depth--
		}
	}
	return false
}

func jsonMessage(err error) string {
	var syn *json.SyntaxError
	switch {
	case err == errTooDeep:
		return "is " + err.Error()
	case errors.Is(err, io.EOF):
		return "is not JSON (empty body)"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "is not valid JSON (unexpected end of input)"
	case errors.As(err, &syn):
		return fmt.Sprintf("is not valid JSON (%s at byte %d)", syn.Error(), syn.Offset)
	}
	return "is not valid JSON (" + err.Error() + ")"
}

func newCompiler(fsys fs.FS) *jsonschema.Compiler {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.UseLoader(loader{fsys: fsys})
	return c
}

// loader resolves references to other documents: only files of fsys, never
// the network or the host file system.
type loader struct{ fsys fs.FS }

func (l loader) Load(raw string) (any, error) {
	if l.fsys == nil {
		return nil, fmt.Errorf("cannot load %s: schemas given by value may only reference themselves and the standard meta-schemas", raw)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "fs" || u.Host != "" {
		return nil, fmt.Errorf("cannot load %s: only files of the schema file system can be referenced", raw)
	}
	p := strings.TrimPrefix(u.Path, "/")
	if !fs.ValidPath(p) {
		return nil, fmt.Errorf("cannot load %s: invalid path", raw)
	}
	data, err := fs.ReadFile(l.fsys, p)
	if err != nil {
		return nil, err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s is not valid JSON: %w", p, err)
	}
	return v, nil
}

func fsURL(p string) string { return (&url.URL{Scheme: "fs", Path: "/" + p}).String() }

// cleanPath turns a schema file name into an fs.FS path.
func cleanPath(file string) (string, error) {
	if file == "" {
		return "", errors.New("empty schema file")
	}
	if strings.HasPrefix(file, "/") || strings.Contains(file, `\`) {
		return "", fmt.Errorf("schema file %q must be a slash-separated path relative to the function root", file)
	}
	p := path.Clean(file)
	if !fs.ValidPath(p) || p == "." {
		return "", fmt.Errorf("schema file %q is not a valid path (no \"..\" or empty elements)", file)
	}
	return p, nil
}

func checkRoute(route string) error {
	if strings.TrimSpace(route) == "" {
		return errors.New("empty route")
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
