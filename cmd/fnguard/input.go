package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// An event read from an input, with where it came from.
type rawEvent struct {
	file string
	line int    // first line of the event in its file (1-based)
	raw  []byte // the event's JSON; owned by the event
}

// maxEventBytes bounds one event (Lambda's synchronous payload limit is
// 6 MB; one JSON Lines line may carry a whole event).
const maxEventBytes = 8 << 20

// inputError names the file and line of an input the command cannot read.
type inputError struct {
	file string
	line int
	msg  string
}

func (e *inputError) Error() string {
	if e.line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.file, e.line, e.msg)
	}
	return e.file + ": " + e.msg
}

// expandPaths turns the command's arguments into input files: directories
// are walked recursively for *.json, *.jsonl, *.ndjson, *.log and their
// .gz forms, in lexical order; "-" is standard input.
func expandPaths(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if a == "-" {
			out = append(out, a)
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			return nil, &inputError{file: a, msg: err.Error()}
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && eventFileName(p) {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, &inputError{file: a, msg: err.Error()}
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

func eventFileName(p string) bool {
	p = strings.TrimSuffix(strings.ToLower(p), ".gz")
	for _, ext := range []string{".json", ".jsonl", ".ndjson", ".log"} {
		if strings.HasSuffix(p, ext) {
			return true
		}
	}
	return false
}

// readEvents streams the events of one input to emit. It recognises, by
// content rather than by name:
//   - one JSON event per file (pretty-printed or not; sam local event files),
//   - JSON Lines (one event per line),
//   - a JSON array of events,
//   - CloudWatch Logs output: `aws logs filter-log-events` / `get-log-events`
//     JSON ({"events":[{"message": ...}]}) and exported log lines
//     ("2024-05-01T10:00:00.000Z <json>"), where each message that holds a
//     JSON event (plain, after a prefix, or inside a structured log line's
//     "event"/"message" member) is replayed,
//   - any of these gzip-compressed.
//
// Memory stays bounded by the largest single event.
func readEvents(name string, r io.Reader, emit func(rawEvent) error) error {
	br := bufio.NewReaderSize(r, 256*1024)
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return &inputError{file: name, msg: "gzip: " + err.Error()}
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 256*1024)
	}
	lr := &lineReader{r: br, name: name}
	first, firstLine, err := lr.next()
	if err == io.EOF {
		return nil // an empty input has no events
	}
	if err != nil {
		return err
	}
	trimmed := bytes.TrimSpace(first)
	switch {
	case len(trimmed) > 0 && trimmed[0] == '[' && !json.Valid(trimmed):
		return lr.document(first, firstLine, emit)
	case len(trimmed) > 0 && trimmed[0] == '[':
		return emitArray(name, firstLine, trimmed, emit)
	case len(trimmed) > 0 && trimmed[0] == '{' && !json.Valid(trimmed):
		// A pretty-printed document: the rest of the input is one value
		// (or several, one after another).
		return lr.document(first, firstLine, emit)
	}
	for {
		if err := emitLine(name, firstLine, first, emit); err != nil {
			return err
		}
		first, firstLine, err = lr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// lineReader reads lines of bounded length and counts them.
type lineReader struct {
	r    *bufio.Reader
	name string
	line int
}

func (lr *lineReader) next() ([]byte, int, error) {
	for {
		var buf []byte
		for {
			chunk, err := lr.r.ReadSlice('\n')
			buf = append(buf, chunk...)
			if len(buf) > maxEventBytes {
				return nil, lr.line + 1, &inputError{file: lr.name, line: lr.line + 1, msg: fmt.Sprintf("line longer than %d bytes", maxEventBytes)}
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err == io.EOF && len(buf) == 0 {
				return nil, 0, io.EOF
			}
			if err != nil && err != io.EOF {
				return nil, 0, &inputError{file: lr.name, line: lr.line + 1, msg: err.Error()}
			}
			break
		}
		lr.line++
		if len(bytes.TrimSpace(buf)) == 0 {
			continue
		}
		return buf, lr.line, nil
	}
}

// maxDocumentBytes bounds an input that is not line-oriented (a
// pretty-printed event or array): it is read whole. JSON Lines inputs
// stream whatever their size.
const maxDocumentBytes = 256 << 20

// document decodes the rest of the input as one or more JSON values that
// span lines.
func (lr *lineReader) document(first []byte, firstLine int, emit func(rawEvent) error) error {
	rest, err := io.ReadAll(io.LimitReader(lr.r, maxDocumentBytes+1))
	if err != nil {
		return &inputError{file: lr.name, line: firstLine, msg: err.Error()}
	}
	data := append(first, rest...)
	if len(data) > maxDocumentBytes {
		return &inputError{file: lr.name, line: firstLine, msg: fmt.Sprintf("a multi-line JSON document larger than %d bytes: use JSON Lines (one event per line) for large inputs", maxDocumentBytes)}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	line, seen := firstLine, 0 // line of data[seen]
	for {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return nil
		}
		end := int(dec.InputOffset())
		if err != nil {
			off := min(end, len(data))
			return &inputError{file: lr.name, line: line + bytes.Count(data[seen:off], []byte{'\n'}), msg: "invalid JSON: " + err.Error()}
		}
		start := end - len(raw)
		evLine := line + bytes.Count(data[seen:start], []byte{'\n'})
		line, seen = evLine+bytes.Count(raw, []byte{'\n'}), end
		trimmed := bytes.TrimSpace(raw)
		if len(trimmed) > maxEventBytes {
			return &inputError{file: lr.name, line: evLine, msg: fmt.Sprintf("event larger than %d bytes", maxEventBytes)}
		}
		if len(trimmed) > 0 && trimmed[0] == '[' {
			err = emitArray(lr.name, evLine, trimmed, emit)
		} else {
			err = emitValue(lr.name, evLine, trimmed, emit)
		}
		if err != nil {
			return err
		}
	}
}

func emitArray(name string, line int, arr []byte, emit func(rawEvent) error) error {
	var evs []json.RawMessage
	if err := json.Unmarshal(arr, &evs); err != nil {
		return &inputError{file: name, line: line, msg: "invalid JSON array: " + err.Error()}
	}
	for _, e := range evs {
		if err := emitValue(name, line, e, emit); err != nil {
			return err
		}
	}
	return nil
}

// emitLine handles one line of a line-oriented input: a JSON event, or a
// log line with a prefix before its JSON.
func emitLine(name string, line int, b []byte, emit func(rawEvent) error) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && (b[0] == '{' || b[0] == '[') {
		if !json.Valid(b) {
			return &inputError{file: name, line: line, msg: "invalid JSON"}
		}
		if b[0] == '[' {
			return emitArray(name, line, b, emit)
		}
		return emitValue(name, line, b, emit)
	}
	// An exported log line: "<timestamp> [<request id> <level>] {json}".
	if i := bytes.IndexByte(b, '{'); i > 0 && json.Valid(b[i:]) {
		return emitValue(name, line, b[i:], emit)
	}
	return &inputError{file: name, line: line, msg: "not a JSON event, JSON Lines or a log line with a JSON event"}
}

// emitValue emits a JSON object as an event, unwrapping CloudWatch Logs
// containers and structured log lines that carry an event.
func emitValue(name string, line int, b []byte, emit func(rawEvent) error) error {
	if ev, ok := unwrapLog(b); ok {
		for _, e := range ev {
			if err := emit(rawEvent{file: name, line: line, raw: e}); err != nil {
				return err
			}
		}
		return nil
	}
	cp := make([]byte, len(b))
	copy(cp, b)
	return emit(rawEvent{file: name, line: line, raw: cp})
}

// unwrapLog recognises CloudWatch Logs containers: {"events":[{"message":
// …, "timestamp": …}]} from the CLI, and a Powertools-style structured log
// line whose "event" (or object "message") member holds an event.
func unwrapLog(b []byte) ([][]byte, bool) {
	// A Lambda event has neither member pair: skip the decode for them.
	if !bytes.Contains(b, []byte(`"events"`)) && !bytes.Contains(b, []byte(`"level"`)) {
		return nil, false
	}
	var probe struct {
		Events []struct {
			Message   *string `json:"message"`
			Timestamp *int64  `json:"timestamp"`
		} `json:"events"`
		Event   json.RawMessage `json:"event"`
		Message json.RawMessage `json:"message"`
		Level   string          `json:"level"`
	}
	if json.Unmarshal(b, &probe) != nil {
		return nil, false
	}
	if len(probe.Events) > 0 && probe.Events[0].Message != nil && probe.Events[0].Timestamp != nil {
		var out [][]byte
		for _, e := range probe.Events {
			if e.Message == nil {
				continue
			}
			m := strings.TrimSpace(*e.Message)
			i := strings.IndexByte(m, '{')
			if i < 0 || !json.Valid([]byte(m[i:])) {
				continue // START/END/REPORT lines and plain text
			}
			inner := []byte(m[i:])
			if ev, ok := unwrapLog(inner); ok {
				out = append(out, ev...)
			} else {
				out = append(out, inner)
			}
		}
		return out, true
	}
	if probe.Level != "" {
		for _, m := range []json.RawMessage{probe.Event, probe.Message} {
			if t := bytes.TrimSpace(m); len(t) > 0 && t[0] == '{' {
				return [][]byte{append([]byte(nil), t...)}, true
			}
		}
	}
	return nil, false
}
