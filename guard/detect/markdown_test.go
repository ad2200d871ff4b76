package detect

import (
	"strings"
	"testing"
)

func TestMaskFences(t *testing.T) {
	tests := []struct {
		name, in, want string
		masked         bool
	}{
		{"document", "See the steps below:\n```sh\nls | wc\n```\nDone.", "See the steps below:\n     \n       \n   \nDone.", true},
		{"tildes and indent", "Run it like this here:\n  ~~~\n;id\n  ~~~", "Run it like this here:\n     \n   \n     ", true},
		{"longer closing fence", "Here is the code:\n```\nx;y\n`````\nok", "Here is the code:\n   \n   \n     \nok", true},
		{"no prose before", "x\n```\n;id\n```", "x\n```\n;id\n```", false},
		{"prose after", "I ran this:\n```\n;id\n```\nand it failed", "I ran this:\n   \n   \n   \nand it failed", true},
		{"two words after", "x\n```\n;id\n```\nit ok", "x\n```\n;id\n```\nit ok", false},
		{"not closed", "Here is the code:\n```\n;id", "Here is the code:\n```\n;id", false},
		{"closing fence shorter", "Here is the code:\n````\n;id\n```", "Here is the code:\n````\n;id\n```", false},
		{"fence not at a line start", "Here is the code: ```;id```", "Here is the code: ```;id```", false},
		{"text after the closing fence", "Here is the code:\n```\n;id\n``` ;id", "Here is the code:\n```\n;id\n``` ;id", false},
		{"four spaces is not a fence", "Here is the code:\n    ```\n;id\n```", "Here is the code:\n    ```\n;id\n```", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := maskFences([]byte(tt.in))
			if string(got) != tt.want || ok != tt.masked {
				t.Errorf("maskFences(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.masked)
			}
		})
	}
}

// TestFencedCommandsInDocuments checks the detector's use of maskFences:
// commands in a fenced block of a document pass, the same commands with no
// document around them do not.
func TestFencedCommandsInDocuments(t *testing.T) {
	d := mustNew(t, Config{})
	block := "```\ncd /srv/app && cat .env | grep KEY; id\n```"
	if ms := d.Scan(nil, "To reproduce it, run these steps:\n"+block+"\nThanks.", Input{}); len(ms) != 0 {
		t.Errorf("document with a fenced block: %v, want no match", ms)
	}
	for _, attack := range []string{block, "x\n" + block, "To reproduce it, run these steps:\n```\n;id"} {
		if ms := d.Scan(nil, attack, Input{}); !hasCategory(ms, CmdI) {
			t.Errorf("Scan(%q) = %v, want cmdi", attack, ms)
		}
	}
}

// FuzzMaskFences checks that masking keeps the length and every line
// break, changes bytes only to blanks, and is a no-op on its own output.
func FuzzMaskFences(f *testing.F) {
	for _, s := range []string{"See the steps below:\n```sh\nls | wc\n```\nDone.", "a b c\n~~~\n;id\n~~~~\n", "x\n```", "words are here\n   ```\n\n```"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := maskFences([]byte(s))
		if len(got) != len(s) {
			t.Fatalf("length %d, want %d", len(got), len(s))
		}
		for i := range got {
			if got[i] != s[i] && (got[i] != ' ' || s[i] == '\n') {
				t.Fatalf("byte %d: %q -> %q", i, s[i], got[i])
			}
		}
		if !ok && string(got) != s {
			t.Fatalf("changed without a block")
		}
		if ok && !strings.Contains(s, "\n") {
			t.Fatalf("masked a single line")
		}
	})
}
