//go:build race

package guardlambda

// raceEnabled: the race detector slows code 5-20x; the differential test
// samples its mutations then.
const raceEnabled = true
