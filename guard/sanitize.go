package guard

import (
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/fnguard/fnguard/guard/jsontree"
)

// fieldPath is a parsed FNGUARD_SANITIZE_FIELDS entry: keys and array
// wildcards, e.g. items[*].note -> ["items", "[*]", "note"].
type fieldPath []string

func parseFieldPath(s string) (fieldPath, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "body.")
	if s == "" {
		return nil, errors.New("empty path")
	}
	var out fieldPath
	for _, seg := range strings.Split(s, ".") {
		key := seg
		var idx []string
		for strings.HasSuffix(key, "]") {
			i := strings.LastIndexByte(key, '[')
			if i < 0 {
				return nil, errors.New("unbalanced ] in " + strconv.Quote(seg))
			}
			in := key[i+1 : len(key)-1]
			if in != "*" {
				if _, err := strconv.Atoi(in); err != nil {
					return nil, errors.New("index must be a number or * in " + strconv.Quote(seg))
				}
			}
			idx = append([]string{"[" + in + "]"}, idx...)
			key = key[:i]
		}
		if key == "" && len(idx) == 0 {
			return nil, errors.New("empty segment")
		}
		if key != "" {
			out = append(out, key)
		}
		out = append(out, idx...)
	}
	return out, nil
}

type span struct{ start, end int }

// collect finds the string values at path below v.
func collect(v jsontree.Value, path fieldPath, base []byte, out []span) []span {
	if len(path) == 0 {
		if v.Kind() == jsontree.String {
			if off := int(v.Offset()); off >= 0 && off+len(v.Raw()) <= len(base) {
				out = append(out, span{off, off + len(v.Raw())})
			}
		}
		return out
	}
	seg := path[0]
	if strings.HasPrefix(seg, "[") {
		if v.Kind() != jsontree.Array {
			return out
		}
		if seg == "[*]" {
			for _, e := range v.Elems() {
				out = collect(e, path[1:], base, out)
			}
			return out
		}
		i, _ := strconv.Atoi(seg[1 : len(seg)-1])
		if i < v.Len() {
			out = collect(v.At(i), path[1:], base, out)
		}
		return out
	}
	return collect(v.Get(seg), path[1:], base, out)
}

// sanitizeBody rewrites the configured fields of a JSON body with the HTML
// sanitiser; everything else stays byte for byte.
func (s *scanner) sanitizeBody() {
	g, body := s.g, s.inv.Body
	if !looksJSON(body) {
		return
	}
	doc, err := jsontree.Parse(body, g.limits)
	if err != nil {
		return // the walk already judged the body
	}
	var spans []span
	for _, fp := range g.sanitizeFields {
		spans = collect(doc.Root(), fp, body, spans)
	}
	if len(spans) == 0 {
		return
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	out := make([]byte, 0, len(body))
	last, changed := 0, false
	for _, sp := range spans {
		if sp.start < last {
			continue // the same field named twice
		}
		var orig string
		if err := json.Unmarshal(body[sp.start:sp.end], &orig); err != nil {
			continue
		}
		clean := g.sanitize(orig)
		if clean == orig {
			continue
		}
		enc, _ := json.Marshal(clean)
		out = append(out, body[last:sp.start]...)
		out = append(out, enc...)
		last, changed = sp.end, true
	}
	if !changed {
		return
	}
	s.body = append(out, body[last:]...)
}
