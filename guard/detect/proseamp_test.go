package detect

import (
	"strings"
	"testing"
)

// TestProseAmpersands checks detectCmdI's shortcut for words joined by
// spaced ampersands (proseAmpersands) against the two shell grammars it
// stands for: every keyword of the keyword table, and the words the
// grammars name (reserved words, interpreters, wrappers, everyday words),
// is put in each command position of such values, with and without
// arguments, in lower and in upper case; the verdicts with the shortcut
// (gated) and without it (noGates: cmdScan and shellScan run) must be the
// same, and the shortcut must be taken for the prose ones and not for the
// probes.
func TestProseAmpersands(t *testing.T) {
	d := mustNew(t, Config{})
	vocab := []string{"do", "then", "else", "elif", "for", "if", "sh", "bash", "python3", "perl", "php", "node", "cmd",
		"powershell", "env", "nohup", "time", "start", "call", "exec", "sudo", "watch", "script", "su", "iex", "saps",
		"id", "ls", "w", "ps", "ip", "whoami", "uname", "more", "less", "true", "false", "exit", "sleep", "ping"}
	for _, e := range keywordIndex().words {
		if plainLowerWord(e.word) {
			vocab = append(vocab, e.word)
		}
	}
	partners := []string{"text", "5", "a", "bags", "r", "12", "more", "time"}
	taken, flagged := 0, 0
	for _, v := range vocab {
		for _, p := range partners {
			for _, s := range []string{
				p + " & " + v, p + " & " + v + " " + p, p + " " + p + " & " + v, v + " & " + p, v + " " + p + " & " + p,
				p + " & " + v + " & " + p, p + " " + p + " & " + v + " & " + v,
			} {
				for _, s := range []string{s, strings.ToUpper(s)} {
					gated := d.Scan(nil, s, Input{Kind: Value})
					noGates = true
					ungated := d.Scan(nil, s, Input{Kind: Value})
					noGates = false
					if g, u := hasCategory(gated, CmdI), hasCategory(ungated, CmdI); g != u {
						t.Errorf("%q: cmdi %v with the shortcut, %v without (%v / %v)", s, g, u, gated, ungated)
					}
					if proseAmpersands([]byte(strings.ToLower(s))) {
						taken++
					} else if hasCategory(ungated, CmdI) {
						flagged++
					}
				}
			}
		}
	}
	t.Logf("shortcut taken for %d values, %d others flagged", taken, flagged)
	// the shortcut covers most of these values, and the grammars still
	// judge the others ("text & whoami")
	if taken < 10000 || flagged < 100 {
		t.Errorf("shortcut taken for %d values, %d others flagged: the test no longer exercises it", taken, flagged)
	}
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"text 5 & more", true}, {"bags & more", true}, {"r & d dept", true}, {"q & a time", true},
		{"text & whoami", false}, {"5 & more", false}, {"a & time x", false}, {"a && more", false},
		{"a & more /etc/passwd", false}, {"a  & more", false}, {"a & more ", false}, {"& more", false},
		{"a&more", false}, {"a & do x", false}, {"more & a", false}, {"a & b", true}, {"a b", false},
	} {
		if got := proseAmpersands([]byte(c.s)); got != c.want {
			t.Errorf("proseAmpersands(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

func plainLowerWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return w != ""
}

// proseFeaturesCheck fails when proseFeatures reads s and gives another
// answer than features.
func proseFeaturesCheck(t *testing.T, s string) bool {
	t.Helper()
	var cmds proseCmds
	f, kw, first, ok := proseFeatures(s, keywordIndex(), &cmds)
	if !ok {
		return false
	}
	if got, want := cmds.proseClean(s), proseAmpersands([]byte(s)); got != want {
		t.Fatalf("%q: proseClean %v, proseAmpersands %v", s, got, want)
	}
	wf, wkw, wfirst := features(s, keywordIndex())
	if f != wf || kw != wkw || first != wfirst {
		t.Fatalf("%q: proseFeatures %#x %#x %v, features %#x %#x %v", s, f, kw, first, wf, wkw, wfirst)
	}
	return true
}

func TestProseFeatures(t *testing.T) {
	vocab := []string{"do", "on", "onload", "onerror", "0x41", "0x", "1e5", "1e5union", "5union", "0xor", "aced0005", "ab12cd34ef",
		"1", "12", "2147483648", "a1", "more", "ls", "id", "sleep", "union", "select", "or", "and", "etc", "passwd", "localhost"}
	for _, e := range keywordIndex().words {
		if plainLowerWord(e.word) {
			vocab = append(vocab, e.word)
		}
	}
	partners := []string{"text", "5", "a", "bags", "12", "more", "0x1f", "3e"}
	taken := 0
	for _, v := range vocab {
		for _, p := range partners {
			for _, s := range []string{
				p + " & " + v, v + " & " + p, p + " " + v, v + " " + p + " & " + p, p + " " + p + " & " + v + " & " + v, v,
				p + " & " + v + " ", p + " &" + v, p + "  " + v, " " + v, v + " && " + p, p + " & & " + v, "&" + v, v + "&",
			} {
				if proseFeaturesCheck(t, s) {
					taken++
				}
			}
		}
	}
	if taken < 10000 {
		t.Errorf("proseFeatures read %d values: the test no longer exercises it", taken)
	}
	for _, c := range []struct {
		s  string
		ok bool
	}{
		{"text 5 & more", true}, {"a", true}, {"a b", true}, {"5 & more", true}, {"a & b & c", true},
		{"A & b", false}, {"a_b & c", false}, {"a  b", false}, {"a &b", false}, {"a & ", false}, {"a ", false},
		{" a", false}, {"& a", false}, {"a &", false}, {"a && b", false}, {"a & & b", false}, {"a-b", false},
		{strings.Repeat("ab ", 11), false},
	} {
		if _, _, _, ok := proseFeatures(c.s, keywordIndex(), nil); ok != c.ok {
			t.Errorf("proseFeatures(%q) ok = %v, want %v", c.s, ok, c.ok)
		}
	}
}

func FuzzProseFeatures(f *testing.F) {
	for _, s := range []string{"text 5 & more", "5 & more", "0x41 & onload", "1e5union & a", "aced0005 & b12", "a & b & c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		proseFeaturesCheck(t, s)
		// the same bytes folded into proseFeatures' alphabet, so that the
		// fuzzer's strings reach it
		b := []byte(s)
		for i, c := range b {
			switch {
			case c == ' ' || c == '&' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z':
			case c%5 == 0:
				b[i] = ' '
			case c%7 == 0:
				b[i] = '&'
			default:
				b[i] = 'a' + c%26
			}
		}
		proseFeaturesCheck(t, string(b))
	})
}
