//go:build race

package leaks

// raceEnabled: under -race TestSeededSecrets runs a sixth of its sweep
// (block mode, one case variant per kind in turn); .ci/run runs the whole
// sweep without -race.
const raceEnabled = true
