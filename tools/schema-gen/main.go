// Command schema-gen walks the Go structs of Nomad's public `api` module, starting at api.Job,
// and prints a JSON description of the jobspec: which blocks exist, which attributes each block
// takes, and the API (JSON) field each one lands in.
//
// It runs in two steps (generate.sh drives both, once per Nomad release tag, patch releases included):
//
//	go run -modfile=<release>.mod . -release 1.6.5 -commit <sha> -src <api dir>   one release's schema
//	go run . -merge 1.6.5.json 1.7.7.json …                                       one schema for all of them
//
// The merged file marks every attribute and block with the releases that have it (`since`, `until`)
// and the release whose api source first calls it deprecated (`deprecatedSince`).
//
// The api structs carry gohcl-style tags (`hcl:"name,kind"`), which is what Nomad's HCL2 job
// parser decodes with. Where that parser does something the tags alone do not describe, the
// difference is written down in the `overrides` table below rather than patched into the JSON.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"runtime/debug"
	"strings"
	"time"

	"github.com/hashicorp/nomad/api"
)

const apiModule = "github.com/hashicorp/nomad/api"

// Attribute is one `name = value` entry of a block.
type Attribute struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	GoField  string `json:"goField,omitempty"`
	APIField string `json:"apiField,omitempty"`
	Required bool   `json:"required,omitempty"`
	// Alias marks a shorthand attribute that the parser folds into other fields
	// (constraint `distinct_hosts = true` sets Operand and RTarget).
	Alias string `json:"alias,omitempty"`
	Note  string `json:"note,omitempty"`
	Versioned
}

// Versioned: which releases have a member (merged output only). Releases are named in full ("2.0.3"):
// every release tag from 1.6.5 on is read, and fields arrive in patch releases too. Since: first release
// that has it (omitted when the oldest has it); Until: first release that no longer has it; DeprecatedSince:
// first release whose api source documents the field as deprecated. Changes: how the member looked
// in older releases, where it differs from the newest one.
type Versioned struct {
	Since           string   `json:"since,omitempty"`
	Until           string   `json:"until,omitempty"`
	DeprecatedSince string   `json:"deprecatedSince,omitempty"`
	Changes         []Change `json:"changes,omitempty"`
	// Deprecated is set in one release's output when its source documents the field as deprecated.
	Deprecated bool `json:"deprecated,omitempty"`
}

// Change: until release Until (exclusive), the member had Field = Value instead of its current value.
type Change struct {
	Until string `json:"until"`
	Field string `json:"field"`
	Value any    `json:"value"`
}

// BlockRef is a nested block as it appears inside its parent.
type BlockRef struct {
	Name     string   `json:"name"`
	Type     string   `json:"type"`
	Labels   []string `json:"labels"`
	Multiple bool     `json:"multiple"`
	GoField  string   `json:"goField,omitempty"`
	APIField string   `json:"apiField,omitempty"`
	// AttrSyntax: the block may also be written as an attribute holding an object
	// (`meta = { ... }`); jobspec2 accepts both for meta and env.
	AttrSyntax bool `json:"attrSyntax,omitempty"`
	// RequiredAttrs: attributes the parser insists on in this position only.
	RequiredAttrs []string `json:"requiredAttrs,omitempty"`
	Note          string   `json:"note,omitempty"`
	Versioned
}

// BlockType describes the body of one kind of block.
type BlockType struct {
	GoType     string      `json:"goType,omitempty"`
	Labels     []LabelInfo `json:"labels,omitempty"`
	Attributes []Attribute `json:"attributes"`
	Blocks     []BlockRef  `json:"blocks"`
	// Freeform: any attribute name is accepted, with values of this type (meta, env, config).
	Freeform string `json:"freeform,omitempty"`
	// DriverConfig: the body's shape depends on the task driver.
	DriverConfig bool `json:"driverConfig,omitempty"`
	// Since / Until: releases that have this Go type at all (merged output only).
	Since string `json:"since,omitempty"`
	Until string `json:"until,omitempty"`
}

// LabelInfo is a struct field that receives a block label.
type LabelInfo struct {
	Name     string `json:"name"`
	GoField  string `json:"goField"`
	APIField string `json:"apiField,omitempty"`
}

// Output is the whole file.
type Output struct {
	Comment string `json:"$comment"`
	Module  string `json:"module"`
	// Version: the module version (one release's output); empty in the merged output.
	Version string `json:"version,omitempty"`
	// Releases: the releases the output describes, oldest first.
	Releases []Release             `json:"releases"`
	Root     string                `json:"root"`
	Types    map[string]*BlockType `json:"types"`
}

// Release is one Nomad release whose api module was read.
type Release struct {
	// Version: the release ("1.6.5"); Minor: its minor version ("1.6"), the name used by since/until.
	Version string `json:"version"`
	Minor   string `json:"minor"`
	Tag     string `json:"tag,omitempty"`
	Commit  string `json:"commit,omitempty"`
}

// ---------------------------------------------------------------------------------------------
// Overrides: where jobspec2's custom decoders differ from what the struct tags say.
// Each entry names the Go type and the HCL name it applies to.

type override struct {
	goType string // owner Go type
	name   string // HCL name of the attribute or block inside it ("" = whole type)
	why    string // short reason, kept here as documentation

	addAttrs  []Attribute
	dropAttrs []string
	addBlocks []BlockRef
	patch     func(b *BlockRef)
	patchType func(t *BlockType)
}

var overrides = []override{
	{goType: "Job", why: "jobspec2 decodes a job-level `vault` block (copied into every task without one) and `task` blocks placed directly in the job (each becomes a group of one task)",
		addBlocks: []BlockRef{
			{Name: "vault", Type: "Vault", Multiple: false, APIField: "TaskGroups[].Tasks[].Vault", Note: "copied to every task that has no vault block of its own"},
			{Name: "task", Type: "Task", Labels: []string{"name"}, Multiple: true, APIField: "TaskGroups[].Tasks", Note: "a task directly under job becomes a group of the same name holding that task"},
		}},
	{goType: "TaskGroup", why: "jobspec2 decodes a group-level `vault` block and copies it into each task without one",
		addBlocks: []BlockRef{{Name: "vault", Type: "Vault", Multiple: false, APIField: "Tasks[].Vault", Note: "copied to every task of the group that has no vault block of its own"}}},
	{goType: "Task", name: "scaling", why: "task scaling blocks carry a label (cpu or mem) that selects vertical_cpu / vertical_mem",
		patch: func(b *BlockRef) { b.Labels = []string{"name"}; b.Note = `label is "cpu" or "mem"` }},
	{goType: "TaskGroup", name: "scaling", why: "jobspec2 requires max in a group scaling block (horizontal scaling)",
		patch: func(b *BlockRef) { b.RequiredAttrs = []string{"max"} }},
	{goType: "Job", name: "meta", why: "meta may be a block or an attribute holding a map", patch: attrSyntax},
	{goType: "TaskGroup", name: "meta", why: "meta may be a block or an attribute holding a map", patch: attrSyntax},
	{goType: "Task", name: "meta", why: "meta may be a block or an attribute holding a map", patch: attrSyntax},
	{goType: "Task", name: "env", why: "env may be a block or an attribute holding a map", patch: attrSyntax},
	{goType: "Task", name: "config", why: "the task config body is interpreted by the task driver",
		patch: func(b *BlockRef) { b.Type = "DriverConfig"; b.Note = "shape depends on the task's driver" }},
	{goType: "NetworkResource", name: "port", why: "jobspec2 sorts port blocks: those with a `static` value go to ReservedPorts, the rest to DynamicPorts",
		patch: func(b *BlockRef) {
			b.APIField = "DynamicPorts|ReservedPorts"
			b.Note = "ports with static set are reserved ports; the others are dynamic"
		}},
	{goType: "NetworkResource", name: "reserved_ports", why: "accepted by the decoder but undocumented; `port` with `static` is the supported form",
		patch: func(b *BlockRef) { b.Note = "undocumented: write port \"label\" { static = N } instead" }},
	{goType: "PeriodicConfig", name: "cron", why: "cron and crons both set the spec type to cron",
		patch: nil},
	{goType: "Constraint", why: "jobspec2 decodes constraint with its own spec: shorthand attributes set the operator and value",
		addAttrs: constraintAliases(false)},
	{goType: "Affinity", why: "jobspec2 decodes affinity with its own spec: shorthand attributes set the operator and value",
		addAttrs: constraintAliases(true)},
}

func attrSyntax(b *BlockRef) { b.AttrSyntax = true }

func constraintAliases(affinity bool) []Attribute {
	alias := func(name, typ, note string) Attribute {
		return Attribute{Name: name, Type: typ, Alias: name, APIField: "Operand+RTarget", Note: note}
	}
	out := []Attribute{
		alias(api.ConstraintVersion, "string", "sets operator to version and value to this"),
		alias(api.ConstraintSemver, "string", "sets operator to semver and value to this"),
		alias(api.ConstraintRegex, "string", "sets operator to regexp and value to this"),
		alias(api.ConstraintSetContains, "string", "sets operator to set_contains and value to this"),
	}
	if affinity {
		out = append(out,
			alias(api.ConstraintSetContainsAll, "string", "sets operator to set_contains_all and value to this"),
			alias(api.ConstraintSetContainsAny, "string", "sets operator to set_contains_any and value to this"))
		return out
	}
	out = append(out,
		alias(api.ConstraintSetContainsAll, "string", "declared by the decoder but not folded into the operator"),
		alias(api.ConstraintSetContainsAny, "string", "declared by the decoder but not folded into the operator"),
		alias(api.ConstraintAttributeIsSet, "string", "declared by the decoder but not folded into the operator"),
		alias(api.ConstraintAttributeIsNotSet, "string", "declared by the decoder but not folded into the operator"),
		Attribute{Name: api.ConstraintDistinctHosts, Type: "bool", Alias: api.ConstraintDistinctHosts, APIField: "Operand+RTarget", Note: "sets operator to distinct_hosts"},
		Attribute{Name: api.ConstraintDistinctProperty, Type: "string", Alias: api.ConstraintDistinctProperty, APIField: "Operand+LTarget", Note: "sets operator to distinct_property and attribute to this"},
	)
	return out
}

// ---------------------------------------------------------------------------------------------

var durationType = reflect.TypeOf(time.Duration(0))

type gen struct {
	types map[string]*BlockType
	errs  []string
}

func main() {
	release := flag.String("release", "", "the Nomad release this api module belongs to (e.g. 1.6.5)")
	commit := flag.String("commit", "", "the commit of the release tag")
	src := flag.String("src", "", "directory of the api module's source (to read deprecation comments)")
	merge := flag.Bool("merge", false, "merge the per-release outputs named as arguments (oldest first)")
	flag.Parse()
	if *merge {
		out, err := mergeFiles(flag.Args())
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		write(out)
		return
	}
	g := &gen{types: map[string]*BlockType{}}
	root := g.walk(reflect.TypeOf(api.Job{}))
	g.types["StringMap"] = &BlockType{Attributes: []Attribute{}, Blocks: []BlockRef{}, Freeform: "string"}
	g.types["StringListMap"] = &BlockType{Attributes: []Attribute{}, Blocks: []BlockRef{}, Freeform: "list(string)"}
	g.types["AnyMap"] = &BlockType{Attributes: []Attribute{}, Blocks: []BlockRef{}, Freeform: "any"}
	g.types["DriverConfig"] = &BlockType{Attributes: []Attribute{}, Blocks: []BlockRef{}, Freeform: "any", DriverConfig: true}
	g.applyOverrides()
	if len(g.errs) > 0 {
		fmt.Fprintln(os.Stderr, strings.Join(g.errs, "\n"))
		os.Exit(1)
	}
	if *src != "" {
		if err := markDeprecated(*src, g.types); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	out := Output{
		Comment: "Generated by tools/schema-gen from " + apiModule + "; do not edit by hand.",
		Module:  apiModule,
		Version: moduleVersion(),
		Root:    root,
		Types:   g.types,
	}
	if *release != "" {
		out.Releases = []Release{{Version: *release, Minor: minorOf(*release), Tag: "v" + *release, Commit: *commit}}
	}
	write(out)
}

func write(out Output) {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func moduleVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == apiModule {
				return d.Version
			}
		}
	}
	return "unknown"
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func parseTag(f reflect.StructField) (name, kind string, ok bool) {
	tag, has := f.Tag.Lookup("hcl")
	if !has || tag == "-" {
		return "", "", false
	}
	parts := strings.Split(tag, ",")
	name = parts[0]
	kind = "attr"
	if len(parts) > 1 {
		kind = parts[1]
	}
	return name, kind, true
}

func apiName(f reflect.StructField) string {
	if j, ok := f.Tag.Lookup("json"); ok {
		n := strings.Split(j, ",")[0]
		if n == "-" {
			return ""
		}
		if n != "" {
			return n
		}
	}
	return f.Name
}

// walk records struct type t (and everything below it) and returns its type id.
func (g *gen) walk(t reflect.Type) string {
	t = deref(t)
	id := t.Name()
	if _, done := g.types[id]; done {
		return id
	}
	bt := &BlockType{GoType: "api." + id, Attributes: []Attribute{}, Blocks: []BlockRef{}}
	g.types[id] = bt
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, kind, ok := parseTag(f)
		if !ok {
			continue
		}
		switch kind {
		case "label":
			if name == "" {
				// gohcl does not need a label name; use the Go field's, e.g. port "http" -> label
				name = strings.ToLower(f.Name)
			}
			bt.Labels = append(bt.Labels, LabelInfo{Name: name, GoField: f.Name, APIField: apiName(f)})
		case "block":
			bt.Blocks = append(bt.Blocks, g.blockRef(t, f, name))
		case "optional", "attr":
			typ := attrType(f.Type)
			if typ == "" {
				g.errs = append(g.errs, fmt.Sprintf("%s.%s: no attribute type for %s", id, f.Name, f.Type))
				continue
			}
			bt.Attributes = append(bt.Attributes, Attribute{
				Name: name, Type: typ, GoField: f.Name, APIField: apiName(f), Required: kind == "attr",
			})
		case "remain":
			// the rest of the body; nothing to describe
		default:
			g.errs = append(g.errs, fmt.Sprintf("%s.%s: unknown hcl tag kind %q", id, f.Name, kind))
		}
	}
	return id
}

func (g *gen) blockRef(owner reflect.Type, f reflect.StructField, name string) BlockRef {
	ref := BlockRef{Name: name, GoField: f.Name, APIField: apiName(f), Labels: []string{}}
	t := f.Type
	switch {
	case t.Kind() == reflect.Map && t.Elem().Kind() == reflect.String:
		ref.Type = "StringMap"
	case t.Kind() == reflect.Map && t.Elem().Kind() == reflect.Interface:
		ref.Type = "AnyMap"
	case t.Kind() == reflect.Map && t.Elem().Kind() == reflect.Slice && t.Elem().Elem().Kind() == reflect.String:
		ref.Type = "StringListMap" // check header { Name = ["v1", "v2"] }
	case t.Kind() == reflect.Map && deref(t.Elem()).Kind() == reflect.Struct:
		// map keyed by the block label (group `volume "name" {}`)
		ref.Multiple = true
		ref.Type = g.walk(t.Elem())
	case t.Kind() == reflect.Slice && deref(t.Elem()).Kind() == reflect.Struct:
		ref.Multiple = true
		ref.Type = g.walk(t.Elem())
	case deref(t).Kind() == reflect.Struct:
		ref.Type = g.walk(t)
	default:
		g.errs = append(g.errs, fmt.Sprintf("%s.%s: unsupported block type %s", owner.Name(), f.Name, t))
		return ref
	}
	if bt := g.types[ref.Type]; bt != nil {
		for _, l := range bt.Labels {
			ref.Labels = append(ref.Labels, l.Name)
		}
	}
	return ref
}

func attrType(t reflect.Type) string {
	if t == durationType || (t.Kind() == reflect.Pointer && t.Elem() == durationType) {
		return "duration"
	}
	t = deref(t)
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "bool"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Interface:
		return "any"
	case reflect.Slice:
		if e := attrType(t.Elem()); e != "" && !strings.Contains(e, "(") {
			return "list(" + e + ")"
		}
		return "list(any)"
	case reflect.Map:
		if e := attrType(t.Elem()); e != "" && !strings.Contains(e, "(") {
			return "map(" + e + ")"
		}
		return "map(any)"
	case reflect.Struct:
		return "object"
	}
	return ""
}

func (g *gen) applyOverrides() {
	for _, o := range overrides {
		bt := g.types[o.goType]
		if bt == nil {
			g.errs = append(g.errs, "override: unknown type "+o.goType)
			continue
		}
		if o.name == "" {
			bt.Attributes = append(bt.Attributes, o.addAttrs...)
			bt.Blocks = append(bt.Blocks, o.addBlocks...)
			for i := range bt.Blocks {
				if bt.Blocks[i].Labels == nil {
					bt.Blocks[i].Labels = []string{}
				}
			}
			for i := range o.addBlocks {
				if g.types[o.addBlocks[i].Type] == nil {
					g.errs = append(g.errs, "override: unknown block type "+o.addBlocks[i].Type)
				}
			}
			if o.patchType != nil {
				o.patchType(bt)
			}
			continue
		}
		found := false
		for i := range bt.Blocks {
			if bt.Blocks[i].Name == o.name {
				found = true
				if o.patch != nil {
					o.patch(&bt.Blocks[i])
				}
			}
		}
		for _, a := range bt.Attributes {
			if a.Name == o.name {
				found = true
			}
		}
		if !found {
			g.errs = append(g.errs, fmt.Sprintf("override: %s has no %q", o.goType, o.name))
		}
	}
}
