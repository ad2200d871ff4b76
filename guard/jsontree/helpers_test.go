package jsontree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"testing"
)

// toAny converts a Value into the shape encoding/json produces with
// UseNumber: nil, bool, json.Number, string, []any, map[string]any.
func toAny(v Value) any { return toAnyDup(v, false) }

// toAnyDup is toAny where, with lastWins, the last of duplicate keys wins
// (as in encoding/json) instead of the first (as in Value.Get).
func toAnyDup(v Value, lastWins bool) any {
	switch v.Kind() {
	case Null:
		return nil
	case Bool:
		b, _ := v.Bool()
		return b
	case Number:
		return json.Number(v.Raw())
	case String:
		s, _ := v.Str()
		return s
	case Array:
		a := make([]any, 0, v.Len())
		for _, e := range v.Elems() {
			a = append(a, toAnyDup(e, lastWins))
		}
		return a
	case Object:
		m := make(map[string]any, v.Len())
		for k, e := range v.Members() {
			if _, dup := m[k]; !dup || lastWins {
				m[k] = toAnyDup(e, lastWins)
			}
		}
		return m
	}
	return fmt.Sprintf("<invalid kind %v>", v.Kind())
}

// stdDecode decodes one JSON text with encoding/json (UseNumber).
func stdDecode(src []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data: %v", err)
	}
	return v, nil
}

// visitRec is one Walk callback (or its equivalent derived from a Doc).
type visitRec struct {
	Path      string
	S         string
	Key       bool
	ParentKey string
	Depth     int
}

func walkRecords(src []byte, lim Limits) ([]visitRec, error) {
	var recs []visitRec
	err := Walk(src, lim, func(p *Path, s string, key bool) error {
		recs = append(recs, visitRec{p.String(""), s, key, p.ParentKey(), p.Depth()})
		return nil
	})
	return recs, err
}

// treeRecords derives, from a parsed tree, the visits Walk must make.
func treeRecords(v Value) []visitRec {
	var recs []visitRec
	var rec func(v Value, path []byte, pk string, depth int)
	rec = func(v Value, path []byte, pk string, depth int) {
		switch v.Kind() {
		case String:
			s, _ := v.Str()
			recs = append(recs, visitRec{string(path), s, false, pk, depth})
		case Array:
			for i, e := range v.Elems() {
				rec(e, AppendIndex(bytes.Clone(path), i), pk, depth+1)
			}
		case Object:
			for k, e := range v.Members() {
				kp := AppendKey(bytes.Clone(path), k)
				recs = append(recs, visitRec{string(kp), k, true, pk, depth + 1})
				rec(e, kp, k, depth+1)
			}
		}
	}
	rec(v, nil, "", 0)
	return recs
}

// stdTokens lists the keys and strings of src in order using
// encoding/json's token stream.
func stdTokens(src []byte) ([]visitRec, error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var recs []visitRec
	type st struct {
		obj       bool
		expectKey bool
	}
	var stack []st
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			return nil, err
		}
		isKey := false
		if n := len(stack); n > 0 && stack[n-1].obj {
			if d, ok := tok.(json.Delim); !ok || d != '}' {
				isKey = stack[n-1].expectKey
				stack[n-1].expectKey = !stack[n-1].expectKey
			}
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, st{obj: true, expectKey: true})
			case '[':
				stack = append(stack, st{})
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			recs = append(recs, visitRec{S: t, Key: isKey})
		}
	}
}

// checkErr asserts err is a *SyntaxError or *LimitError consistent with its
// sentinel, and returns a comparable description.
func checkErr(t testing.TB, err error) string {
	t.Helper()
	var se *SyntaxError
	var le *LimitError
	switch {
	case errors.As(err, &se):
		if !errors.Is(err, ErrSyntax) || errors.Is(err, ErrLimit) {
			t.Fatalf("SyntaxError %v: errors.Is(ErrSyntax)=%v errors.Is(ErrLimit)=%v", err, errors.Is(err, ErrSyntax), errors.Is(err, ErrLimit))
		}
	case errors.As(err, &le):
		if !errors.Is(err, ErrLimit) || errors.Is(err, ErrSyntax) {
			t.Fatalf("LimitError %v: errors.Is(ErrLimit)=%v errors.Is(ErrSyntax)=%v", err, errors.Is(err, ErrLimit), errors.Is(err, ErrSyntax))
		}
	default:
		t.Fatalf("error %T %v is neither *SyntaxError nor *LimitError", err, err)
	}
	return err.Error()
}
