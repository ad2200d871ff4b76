package main

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// loggedDecision is one decision as fnguard wrote it: one JSON log line.
type loggedDecision struct {
	Message   string
	Action    string // fnguard.action: monitor, block, reject, error
	RequestID string // function_request_id
	Reason    string // fnguard.reason
	Findings  []loggedFinding
	Line      string // the line itself, for -v
}

// loggedFinding is one finding of a logged decision.
type loggedFinding struct {
	Rule, Category, Location, Excerpt, Action string
}

// parseDecisions returns the decisions recorded in the JSON lines fnguard
// wrote (lines carrying fnguard.action); other log lines are skipped. A line
// that is not a JSON object is an error naming its number: the quickstart's
// logger writes nothing else.
//
// A decision with one finding carries it in the top-level fields
// fnguard.rule, fnguard.category, fnguard.location and fnguard.excerpt; with
// several, fnguard.findings is an array of objects with the same fields
// (named with or without the "fnguard." prefix).
func parseDecisions(logs []byte) ([]loggedDecision, error) {
	var out []loggedDecision
	for n, line := range bytes.Split(logs, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(line, &m); err != nil {
			return nil, fmt.Errorf("log line %d is not a JSON object: %w", n+1, err)
		}
		if _, ok := m["fnguard.action"]; !ok {
			continue
		}
		d := loggedDecision{
			Message:   str(m, "message", "msg"),
			Action:    str(m, "fnguard.action"),
			RequestID: str(m, "function_request_id"),
			Reason:    str(m, "fnguard.reason"),
			Line:      string(line),
		}
		if raw, ok := m["fnguard.findings"]; ok && string(raw) != "null" {
			var list []map[string]json.RawMessage
			if err := json.Unmarshal(raw, &list); err != nil {
				return nil, fmt.Errorf("log line %d: fnguard.findings is not an array of objects: %w", n+1, err)
			}
			for _, f := range list {
				d.Findings = append(d.Findings, loggedFinding{
					Rule:     str(f, "rule", "fnguard.rule"),
					Category: str(f, "category", "fnguard.category"),
					Location: str(f, "location", "fnguard.location"),
					Excerpt:  str(f, "excerpt", "fnguard.excerpt"),
					Action:   str(f, "action", "fnguard.action"),
				})
			}
		} else if cat, rule := str(m, "fnguard.category"), str(m, "fnguard.rule"); cat != "" || rule != "" {
			d.Findings = []loggedFinding{{
				Rule:     rule,
				Category: cat,
				Location: str(m, "fnguard.location"),
				Excerpt:  str(m, "fnguard.excerpt"),
				Action:   d.Action,
			}}
		}
		out = append(out, d)
	}
	return out, nil
}

// str returns the first of keys that holds a JSON string in m.
func str(m map[string]json.RawMessage, keys ...string) string {
	for _, k := range keys {
		raw, ok := m[k]
		if !ok {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	return ""
}
