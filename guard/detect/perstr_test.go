package detect

import (
	"testing"
)

// TestCleanEventGates shows which detectors the feature gates let run on
// each string of the typical clean event (run with -v).
func TestCleanEventGates(t *testing.T) {
	kwx := keywordIndex()
	for _, s := range cleanEvent {
		cls := classify(s)
		if cls&^boringClasses == 0 {
			t.Logf("%-12s %q", "boring", s)
			continue
		}
		f, kw, first := features(s, kwx)
		g := gates(f, kw, first, false, len(s) <= 8)
		var names []string
		for ci := catIndex(0); ci < numCategories; ci++ {
			if g.has(ci) {
				names = append(names, string(allCategories[ci]))
			}
		}
		t.Logf("%-12v %q kw=%b", names, s, kw)
	}
}
