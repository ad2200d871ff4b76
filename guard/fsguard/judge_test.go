package fsguard

import (
	"path/filepath"
	"testing"

	"github.com/fnguard/fnguard/guard"
)

func TestJudge(t *testing.T) {
	base := "/srv/data/uploads"
	tests := []struct {
		name, path, input string
		want              guard.SinkVerdict
		rule              string
	}{
		{"joined traversal", filepath.Join(base, "../../../etc/passwd"), "../../../etc/passwd", guard.SinkInjection, RuleTraversal},
		{"concatenated traversal", base + "/" + "../../etc/passwd", "../../etc/passwd", guard.SinkInjection, RuleTraversal},
		{"traversal after a name", filepath.Join(base, "a/../../secret.txt"), "a/../../secret.txt", guard.SinkInjection, RuleTraversal},
		{"escaped traversal decoded by the code", filepath.Join(base, "../../etc/passwd"), "..%2f..%2fetc%2fpasswd", guard.SinkInjection, RuleTraversal},
		{"absolute path used as is", "/etc/passwd", "/etc/passwd", guard.SinkInjection, RuleAbsolute},
		{"absolute prefix", "/etc/passwd.txt", "/etc", guard.SinkInjection, RuleAbsolute},
		{"nul byte", base + "/a.txt\x00.png", "a.txt\x00.png", guard.SinkInjection, RuleNUL},

		{"file name", filepath.Join(base, "report.pdf"), "report.pdf", guard.SinkSafe, ""},
		{"sub directory", filepath.Join(base, "2024/01/report.pdf"), "2024/01/report.pdf", guard.SinkSafe, ""},
		{"dots that stay inside", filepath.Join(base, "a/../b.txt"), "a/../b.txt", guard.SinkSafe, ""},
		{"dots in a name", filepath.Join(base, "v1..2.tar"), "v1..2.tar", guard.SinkSafe, ""},
		{"absolute input joined under the base", filepath.Join(base, "/etc/passwd"), "/etc/passwd", guard.SinkSafe, ""},
		{"traversal text not used", filepath.Join(base, "x.txt"), "../../etc/passwd", guard.SinkSafe, ""},
		{"short", "/a", "/", guard.SinkSafe, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, rule := Judge(tt.path, tt.input)
			if v != tt.want || rule != tt.rule {
				t.Errorf("Judge(%q, %q) = %v %q, want %v %q", tt.path, tt.input, v, rule, tt.want, tt.rule)
			}
		})
	}
}
