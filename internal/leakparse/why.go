package leakparse

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// A dry run explains itself: Sniffed.Reason says why a file was read as its
// format and Sniffed.ColumnReasons why each column has its class, so that a
// user can see what an import would do and override it with --format or
// --map. The column reasons are set where columns are classified (table.go,
// columns.go); the format's reason is found here, from the same evidence
// detect weighs, counted again over the head (Sniff only: Parse never pays
// for it).

// formatReasons gives the reason of formats whose detectors live in files
// of their own: such a file registers, in an init, a function that says
// why the head is of its format (typically its detector's own reason), so
// that detect and explain need no change for it.
var formatReasons = map[Format]func(text []byte, cfg *config) string{}

// registerReason registers the reason function of format f; see
// formatReasons.
func registerReason(f Format, fn func(text []byte, cfg *config) string) {
	formatReasons[f] = fn
}

// explain says why the head text was read as format f with delimiter delim.
func explain(text []byte, cfg *config, f Format, delim byte) string {
	if cfg.format != FormatAuto {
		return fmt.Sprintf("--format %s given", f)
	}
	if fn := formatReasons[f]; fn != nil {
		if r := fn(text, cfg); r != "" {
			return r
		}
	}
	lines := headLines(text, 400)
	if len(lines) == 0 {
		return ""
	}
	base := strings.ToLower(path.Base(strings.ReplaceAll(cfg.name, "\\", "/")))
	ext := path.Ext(base)
	ev := weigh(lines)
	switch f {
	case FormatJSON:
		if i, ok := afterJSComments(lines); ok && i > 0 {
			return "a JSON document after JavaScript comments (phpMyAdmin's JSON export)"
		}
		if lines[0][0] == '[' {
			return "the file starts a JSON array"
		}
		if len(lines) == 1 {
			return "the file is one JSON object on one line (a document, not JSON Lines)"
		}
		return "the file starts a JSON object that is not complete on its first line"
	case FormatNDJSON:
		if ext == ".jsonl" || ext == ".ndjson" {
			return fmt.Sprintf("file name ends in %s", ext)
		}
		if lines[0][0] == '[' {
			return "one complete JSON array per line"
		}
		return "one complete JSON object per line (JSON Lines)"
	case FormatPGDump:
		if ev.copy {
			return "COPY ... FROM stdin blocks of a pg_dump"
		}
		return fmt.Sprintf("%d SQL dump markers, PostgreSQL ones among them", ev.markers)
	case FormatMySQL:
		if ev.insert {
			if ev.pgMarker {
				return "INSERT statements of a PostgreSQL dump (read with PostgreSQL string rules)"
			}
			return "INSERT INTO statements of an SQL dump"
		}
		if ev.markers >= 2 {
			return fmt.Sprintf("%d SQL dump markers (CREATE TABLE, LOCK TABLES, /*!40...)", ev.markers)
		}
		return "an SQL dump marker and a .sql file name"
	case FormatStealer:
		r := fmt.Sprintf("%d of %d lines are stealer log fields (URL:, Login:, Password:, ...)", ev.labelled, ev.n)
		if stealerFileName(base) {
			r += " in a file named " + base
		}
		return r
	case FormatULP:
		return fmt.Sprintf("%d of %d lines are URL, login and password (%q separator)", ev.ulp, ev.n, delim)
	case FormatCombo:
		if ev.comboPhone > 0 {
			return fmt.Sprintf("%d of %d lines are login%cpassword (%d with an email, %d with a phone number, %d with a username)",
				ev.comboEmail+ev.comboUser, ev.n, delim, ev.comboEmail-ev.comboPhone, ev.comboPhone, ev.comboUser)
		}
		return fmt.Sprintf("%d of %d lines are login%cpassword (%d with an email, %d with a username)",
			ev.comboEmail+ev.comboUser, ev.n, delim, ev.comboEmail, ev.comboUser)
	case FormatCSV, FormatTSV:
		r := explainCSV(text, lines, cfg, ext, delim, ev)
		if cfg.escapes {
			r += `; backslash escapes (\N, \\, \t) as mysqldump --tab, mysql --batch and COPY TO write them`
		}
		return r
	}
	return fmt.Sprintf("content of the %s format", f)
}

// explainCSV says why a head was read as delimited values.
func explainCSV(text []byte, lines [][]byte, cfg *config, ext string, delim byte, ev evidence) string {
	switch ext {
	case ".csv", ".tsv", ".tab":
		return fmt.Sprintf("file name ends in %s", ext)
	}
	if _, _, frac := csvShape(lines); frac < 0.8 && delim == '\t' && escapedShape(text) {
		return "rows of tab-separated fields once escaped tabs and line breaks are read as data"
	}
	_, width, frac := csvShape(lines)
	if hdr := splitSimple(lines[0], delim); width >= 2 && looksLikeHeader(hdr, cfg) {
		var known []string
		for _, v := range hdr {
			v = trim(v)
			if c, ok := classifyName(string(v)); ok && c != catalog.ClassUnknown {
				known = append(known, string(v))
			}
		}
		n := len(known)
		if n > 4 {
			known = append(known[:4], "...")
		}
		return fmt.Sprintf("first line is a header naming %d known columns (%s)", n, strings.Join(known, ", "))
	}
	if hdr := splitSimple(lines[0], delim); width >= 2 && genericHeader(hdr) {
		return fmt.Sprintf("first line is a header that names no column (%s): the content decides", trim(lines[0]))
	}
	if ev.emailOnly*2 >= ev.n && width < 2 {
		return fmt.Sprintf("%d of %d lines are bare email addresses", ev.emailOnly, ev.n)
	}
	return fmt.Sprintf("%.0f%% of the lines split into %d fields at %q", frac*100, width, delim)
}

// evidence is what detect counts over a head, counted again for explain.
type evidence struct {
	n                                int // lines, block separators aside
	labelled, ulp                    int
	comboEmail, comboUser, emailOnly int
	comboPhone                       int // phone logins, also counted in comboEmail
	copy, insert, pgMarker           bool
	markers                          int
}

// weigh counts the evidence detect weighs.
func weigh(lines [][]byte) evidence {
	var ev evidence
	blocks := 0
	for _, l := range lines {
		switch {
		case hasPrefixFold(l, "copy ") && bytes.Contains(bytes.ToLower(l), []byte("from stdin")):
			ev.copy = true
		case hasPrefixFold(l, "insert into") || hasPrefixFold(l, "insert ignore into") ||
			hasPrefixFold(l, "replace into") || hasPrefixFold(l, "insert low_priority"):
			ev.insert = true
		case hasPrefixFold(l, "-- postgresql database dump") || hasPrefixFold(l, "set standard_conforming_strings"):
			ev.pgMarker = true
			ev.markers++
		case hasPrefixFold(l, "-- mysql dump") || hasPrefixFold(l, "create table") || hasPrefixFold(l, "/*!40") ||
			hasPrefixFold(l, "lock tables") || hasPrefixFold(l, "drop table") || hasPrefixFold(l, "-- dump") ||
			hasPrefixFold(l, "set names"):
			ev.markers++
		}
		if isBlockSeparator(l) {
			blocks++
			continue
		}
		if k, _ := stealerLabel(l); k != labelNone {
			ev.labelled++
		}
		if ok, _ := ulpEvidence(l); ok {
			ev.ulp++
			continue
		}
		if isEmail(l) {
			ev.emailOnly++
			continue
		}
		login, pass, sep, reason := splitCombo(l)
		if reason != "" {
			continue
		}
		switch cls := loginClass(login); {
		case cls == catalog.ClassEmail:
			ev.comboEmail++
		case cls == catalog.ClassPhone:
			ev.comboEmail++ // weighed as emails are
			ev.comboPhone++
		case sep != ' ' && (usernameLike(login) || numberLogin(login)) && len(login) <= 64, sep == ' ' && bytes.IndexByte(pass, ' ') < 0:
			ev.comboUser++
		}
	}
	ev.n = max(len(lines)-blocks, 1)
	return ev
}

// positionReasons says why each field position of a line format (a
// combolist, ULP lines, stealer fields) has its class, from the classes
// the head's records gave each position.
func positionReasons(f Format, pos []map[catalog.DataClass]int, classes []catalog.DataClass) []string {
	out := make([]string, len(classes))
	for i, c := range classes {
		switch f {
		case FormatStealer:
			out[i] = "a field whose label says " + classWord(c)
			continue
		}
		total, hits := 0, 0
		if i < len(pos) {
			for _, k := range pos[i] {
				total += k
			}
			hits = pos[i][c]
		}
		what := "field"
		switch {
		case f == FormatCombo && i == 0, f == FormatULP && i == 1:
			what = "login field (an email, a phone or a username, as account.AppendLogin decides)"
		case f == FormatCombo && i == 1, f == FormatULP && i == 2:
			what = "password field (a hash hashid recognises is a password hash)"
		case f == FormatULP && i == 0:
			what = "URL field"
		}
		out[i] = fmt.Sprintf("%s %d: %d of %d values are %s", what, i+1, hits, total, valueWord(c))
	}
	return out
}
