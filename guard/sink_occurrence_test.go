package guard

import (
	"strings"
	"testing"
)

func TestWorstOccurrence(t *testing.T) {
	// at marks the occurrence at byte 9 an injection, any other suspicious.
	at := func(s, e int) (SinkVerdict, string) {
		if s == 9 {
			return SinkInjection, "inj"
		}
		return SinkSuspect, "sus"
	}
	tests := []struct {
		name, text, input string
		want              SinkVerdict
		wantRule          string
		wantCalls         int
	}{
		{"absent", "select 1", "zz", SinkSafe, "", 0},
		{"too short", "select 1", "s", SinkSafe, "", 0},
		{"longer than text", "ab", "abc", SinkSafe, "", 0},
		{"one occurrence", "aa xx", "xx", SinkSuspect, "sus", 1},
		{"stops at the injection", "xx xx xx xx xx xx", "xx", SinkInjection, "inj", 4},
		{"bounded", strings.Repeat("y", 100), "yy", SinkSuspect, "sus", MaxSinkOccurrences},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			v, r := WorstOccurrence(tt.text, tt.input, func(s, e int) (SinkVerdict, string) {
				calls++
				if tt.text[s:e] != tt.input {
					t.Fatalf("range [%d,%d) is %q", s, e, tt.text[s:e])
				}
				return at(s, e)
			})
			if v != tt.want || r != tt.wantRule || calls != tt.wantCalls {
				t.Fatalf("got %v %q after %d calls, want %v %q after %d", v, r, calls, tt.want, tt.wantRule, tt.wantCalls)
			}
		})
	}
}
