//go:build race

package benchmarks_test

// raceEnabled: the race detector slows code 5-20x; time bounds scale.
const raceEnabled = true
