// ledgercheck verifies SmartJustice ledger checkpoints and proofs with Go's reference implementation
// (golang.org/x/mod/sumdb/note for the signed note, golang.org/x/mod/sumdb/tlog for RFC 6962/9162 proofs), so a
// SHA-256/Ed25519 log stays checkable by tools that are not ours (issue 10 item 10; tests/ledger/test_go_interop.py).
//
// Usage: ledgercheck CASES.json. Each case names a verifier key ("<origin>+<key id>+<base64>") and one of:
//
//	checkpoint:  "note" (the checkpoint with its signature lines)
//	inclusion:   "note", "data" (base64 entry), "index", "proof" (base64 hashes, leaf sibling first)
//	consistency: "old_note", "note", "proof"
//
// It prints one line per case: "ok" or "fail: <reason>"; the exit status is 0 unless the input is unreadable.
package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type testCase struct {
	Kind    string   `json:"kind"`
	Vkey    string   `json:"vkey"`
	Note    string   `json:"note"`
	OldNote string   `json:"old_note"`
	Data    string   `json:"data"`
	Index   int64    `json:"index"`
	Proof   []string `json:"proof"`
}

type checkpoint struct {
	size int64
	root tlog.Hash
}

// open verifies the note's signature by the log's key and parses the C2SP tlog-checkpoint body, whose first line
// must be the origin named by the key.
func open(text, vkey string) (checkpoint, error) {
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return checkpoint{}, err
	}
	n, err := note.Open([]byte(text), note.VerifierList(verifier))
	if err != nil {
		return checkpoint{}, err
	}
	lines := strings.SplitN(n.Text, "\n", 4)
	if len(lines) < 4 {
		return checkpoint{}, errors.New("checkpoint body too short")
	}
	if lines[0] != verifier.Name() {
		return checkpoint{}, fmt.Errorf("origin %q is not the key's name %q", lines[0], verifier.Name())
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 {
		return checkpoint{}, errors.New("bad tree size")
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		return checkpoint{}, err
	}
	return checkpoint{size, root}, nil
}

func hashes(encoded []string) ([]tlog.Hash, error) {
	result := make([]tlog.Hash, len(encoded))
	for i, item := range encoded {
		h, err := tlog.ParseHash(item)
		if err != nil {
			return nil, err
		}
		result[i] = h
	}
	return result, nil
}

func check(c testCase) error {
	head, err := open(c.Note, c.Vkey)
	if err != nil {
		return err
	}
	proof, err := hashes(c.Proof)
	if err != nil {
		return err
	}
	switch c.Kind {
	case "checkpoint":
		return nil
	case "inclusion":
		data, err := base64.StdEncoding.DecodeString(c.Data)
		if err != nil {
			return err
		}
		return tlog.CheckRecord(tlog.RecordProof(proof), head.size, head.root, c.Index, tlog.RecordHash(data))
	case "consistency":
		old, err := open(c.OldNote, c.Vkey)
		if err != nil {
			return err
		}
		return tlog.CheckTree(tlog.TreeProof(proof), head.size, head.root, old.size, old.root)
	}
	return fmt.Errorf("unknown case kind %q", c.Kind)
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var cases []testCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for _, c := range cases {
		if err := check(c); err != nil {
			fmt.Println("fail: " + strings.ReplaceAll(err.Error(), "\n", " "))
		} else {
			fmt.Println("ok")
		}
	}
}
