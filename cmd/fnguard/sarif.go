package main

import (
	"encoding/json"
	"io"
	"path/filepath"
)

// SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), the
// subset GitHub code scanning reads: one run, the audit rules as the
// driver's rules, one result per finding with a physical location.

const sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	ShortDescription     sarifText       `json:"shortDescription"`
	FullDescription      sarifText       `json:"fullDescription"`
	Help                 sarifText       `json:"help"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           sarifRuleProps  `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags             []string `json:"tags"`
	SecuritySeverity string   `json:"security-severity"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical       `json:"physicalLocation"`
	LogicalLocations []sarifLogicalPlace `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifLogicalPlace struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// sarifLevel maps a severity to SARIF's level and GitHub's numeric
// security-severity (high ≥ 7.0, medium ≥ 4.0, low below).
func sarifLevel(s severity) (level, score string) {
	switch s {
	case sevHigh:
		return "error", "8.0"
	case sevMedium:
		return "warning", "5.0"
	}
	return "note", "2.0"
}

func writeSARIF(w io.Writer, fs []auditFinding) error {
	drv := sarifDriver{Name: "fnguard", InformationURI: "https://github.com/fnguard/fnguard", Version: version}
	index := map[string]int{}
	for i, r := range auditRules {
		level, score := sarifLevel(r.Severity)
		drv.Rules = append(drv.Rules, sarifRule{
			ID: r.ID, Name: r.ID,
			ShortDescription:     sarifText{r.Title},
			FullDescription:      sarifText{r.Help},
			Help:                 sarifText{r.Help},
			DefaultConfiguration: sarifRuleConfig{Level: level},
			Properties:           sarifRuleProps{Tags: []string{"security", "serverless"}, SecuritySeverity: score},
		})
		index[r.ID] = i
	}
	results := make([]sarifResult, 0, len(fs))
	for _, f := range fs {
		level, _ := sarifLevel(f.sev)
		line := f.Line
		if line < 1 {
			line = 1
		}
		results = append(results, sarifResult{
			RuleID: f.Rule, RuleIndex: index[f.Rule], Level: level,
			Message: sarifText{f.Resource + ": " + f.Message},
			Locations: []sarifLocation{{
				PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: filepath.ToSlash(f.File)}, Region: sarifRegion{StartLine: line}},
				LogicalLocations: []sarifLogicalPlace{{Name: f.Resource, Kind: "resource"}},
			}},
		})
	}
	log := sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{{Tool: sarifTool{Driver: drv}, Results: results}}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}
