//go:build !race

package guardlambda

const raceEnabled = false
