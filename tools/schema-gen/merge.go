package main

// Merging the schemas of several releases into one: every type, attribute and block of any release,
// each marked with the releases that have it.

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// minorOf turns "1.10.5" into "1.10".
func minorOf(v string) string {
	parts := strings.SplitN(strings.TrimPrefix(v, "v"), ".", 3)
	if len(parts) < 2 {
		return v
	}
	return parts[0] + "." + parts[1]
}

func mergeFiles(paths []string) (Output, error) {
	if len(paths) == 0 {
		return Output{}, fmt.Errorf("merge: no input files")
	}
	var outs []Output
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return Output{}, err
		}
		var o Output
		if err := json.Unmarshal(b, &o); err != nil {
			return Output{}, fmt.Errorf("%s: %w", p, err)
		}
		if len(o.Releases) != 1 {
			return Output{}, fmt.Errorf("%s: expected the output of one release (made with -release)", p)
		}
		outs = append(outs, o)
	}
	return merge(outs)
}

// merge combines per-release outputs, given oldest first.
func merge(outs []Output) (Output, error) {
	n := len(outs)
	// since / until / deprecatedSince / changes name full releases ("2.0.3"): fields arrive in patch
	// releases too
	minors := make([]string, n)
	releases := make([]Release, n)
	for i, o := range outs {
		releases[i] = o.Releases[0]
		minors[i] = o.Releases[0].Version
		if i > 0 && !versionLess(minors[i-1], minors[i]) {
			return Output{}, fmt.Errorf("merge: releases must be given oldest first (%s before %s)", minors[i-1], minors[i])
		}
		if o.Root != outs[0].Root {
			return Output{}, fmt.Errorf("merge: the root type changed (%s, %s)", outs[0].Root, o.Root)
		}
	}
	var errs []string
	// present[i] -> since/until; a gap (removed, then added back) is an error we want to hear about
	span := func(what string, present []bool) (since, until string) {
		first, last := -1, -1
		for i, p := range present {
			if p {
				if first < 0 {
					first = i
				}
				if last >= 0 && last != i-1 {
					errs = append(errs, fmt.Sprintf("%s: missing in %s but present before and after", what, minors[last+1]))
				}
				last = i
			}
		}
		if first > 0 {
			since = minors[first]
		}
		if last >= 0 && last < n-1 {
			until = minors[last+1]
		}
		return since, until
	}

	ids := map[string]bool{}
	for _, o := range outs {
		for id := range o.Types {
			ids[id] = true
		}
	}
	merged := map[string]*BlockType{}
	for id := range ids {
		present := make([]bool, n)
		var latest *BlockType
		for i, o := range outs {
			if t := o.Types[id]; t != nil {
				present[i] = true
				latest = t
			}
		}
		mt := *latest
		mt.Since, mt.Until = span(id, present)
		mt.Attributes = []Attribute{}
		mt.Blocks = []BlockRef{}

		// attributes, in the newest order, then those dropped on the way (newest drop first)
		var attrNames []string
		seen := map[string]bool{}
		for i := n - 1; i >= 0; i-- {
			if t := outs[i].Types[id]; t != nil {
				for _, a := range t.Attributes {
					if !seen[a.Name] {
						seen[a.Name] = true
						attrNames = append(attrNames, a.Name)
					}
				}
			}
		}
		for _, name := range attrNames {
			per := make([]*Attribute, n)
			present := make([]bool, n)
			var last *Attribute
			for i, o := range outs {
				if t := o.Types[id]; t != nil {
					for k := range t.Attributes {
						if t.Attributes[k].Name == name {
							a := t.Attributes[k]
							per[i] = &a
							present[i] = true
							last = &a
						}
					}
				}
			}
			m := *last
			m.Versioned = Versioned{}
			m.Since, m.Until = span(id+"."+name, present)
			m.DeprecatedSince = deprecatedSince(minors, present, func(i int) bool { return per[i].Deprecated })
			m.Changes = changes(minors, present, func(i int) map[string]any {
				a := per[i]
				return map[string]any{"type": a.Type, "required": a.Required, "goField": a.GoField, "apiField": a.APIField}
			})
			mt.Attributes = append(mt.Attributes, m)
		}

		var blockNames []string
		seen = map[string]bool{}
		for i := n - 1; i >= 0; i-- {
			if t := outs[i].Types[id]; t != nil {
				for _, b := range t.Blocks {
					if !seen[b.Name] {
						seen[b.Name] = true
						blockNames = append(blockNames, b.Name)
					}
				}
			}
		}
		for _, name := range blockNames {
			per := make([]*BlockRef, n)
			present := make([]bool, n)
			var last *BlockRef
			for i, o := range outs {
				if t := o.Types[id]; t != nil {
					for k := range t.Blocks {
						if t.Blocks[k].Name == name {
							b := t.Blocks[k]
							per[i] = &b
							present[i] = true
							last = &b
						}
					}
				}
			}
			m := *last
			m.Versioned = Versioned{}
			m.Since, m.Until = span(id+">"+name, present)
			m.DeprecatedSince = deprecatedSince(minors, present, func(i int) bool { return per[i].Deprecated })
			m.Changes = changes(minors, present, func(i int) map[string]any {
				b := per[i]
				return map[string]any{"type": b.Type, "multiple": b.Multiple, "labels": strings.Join(b.Labels, ","), "goField": b.GoField, "apiField": b.APIField}
			})
			mt.Blocks = append(mt.Blocks, m)
		}
		merged[id] = &mt
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return Output{}, fmt.Errorf("merge:\n%s", strings.Join(errs, "\n"))
	}
	return Output{
		Comment:  "Generated by tools/schema-gen (generate.sh) from " + apiModule + " at each release listed; do not edit by hand.",
		Module:   apiModule,
		Releases: releases,
		Root:     outs[0].Root,
		Types:    merged,
	}, nil
}

func deprecatedSince(minors []string, present []bool, deprecated func(i int) bool) string {
	for i := range minors {
		if present[i] && deprecated(i) {
			return minors[i]
		}
	}
	return ""
}

// changes lists, for each field whose value differs from the newest release's, the value it had and
// the release that changed it.
func changes(minors []string, present []bool, fields func(i int) map[string]any) []Change {
	var idx []int
	for i, p := range present {
		if p {
			idx = append(idx, i)
		}
	}
	var out []Change
	final := fields(idx[len(idx)-1])
	keys := make([]string, 0, len(final))
	for k := range final {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		// walk from the newest backwards; each time the value differs from the next release's, the
		// older value held until that next release
		for j := len(idx) - 2; j >= 0; j-- {
			cur, next := fields(idx[j])[k], fields(idx[j+1])[k]
			if !reflect.DeepEqual(cur, next) {
				out = append(out, Change{Until: minors[idx[j+1]], Field: k, Value: cur})
			}
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return versionLess(out[a].Until, out[b].Until) })
	return out
}

// versionLess compares dotted numeric versions ("1.9" < "1.10").
func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) || i < len(pb); i++ {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

// ---------------------------------------------------------------------------------------------
// Deprecation comments: the api structs document retired fields in their comments ("Deprecated: …",
// "XXX Deprecated", "COMPAT … is deprecated"); reflection cannot see comments, so the source is read.

var deprecatedRE = regexp.MustCompile(`(?i)\bdeprecated\b`)
var hclTagRE = regexp.MustCompile(`hcl:"([^",]*)`)

func markDeprecated(dir string, types map[string]*BlockType) error {
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return err
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		ast.Inspect(af, func(node ast.Node) bool {
			ts, ok := node.(*ast.TypeSpec)
			if !ok {
				return true
			}
			st, ok := ts.Type.(*ast.StructType)
			bt := types[ts.Name.Name]
			if !ok || bt == nil {
				return false
			}
			for _, field := range st.Fields.List {
				if field.Tag == nil {
					continue
				}
				tag, _ := strconv.Unquote(field.Tag.Value)
				m := hclTagRE.FindStringSubmatch(tag)
				if m == nil || m[1] == "" {
					continue
				}
				text := field.Doc.Text() + field.Comment.Text()
				if !deprecatedRE.MatchString(text) {
					continue
				}
				for i := range bt.Attributes {
					if bt.Attributes[i].Name == m[1] {
						bt.Attributes[i].Deprecated = true
					}
				}
				for i := range bt.Blocks {
					if bt.Blocks[i].Name == m[1] {
						bt.Blocks[i].Deprecated = true
					}
				}
			}
			return false
		})
	}
	return nil
}
