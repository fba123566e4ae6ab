package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/talksearch/talksearch/internal/testenv"
)

// TestScaleOutScript runs scripts/scale-out.sh: three serve --replica
// processes behind nginx on loopback, a change of the corpus indexed by
// the writer and rolled out by publish while clients query through
// nginx; the script fails on any failed request, on a replica that does
// not find the new word, or on an old generation left behind.
func TestScaleOutScript(t *testing.T) {
	t.Setenv("PATH", os.Getenv("PATH")+":/usr/sbin:/sbin")
	testenv.LookPath(t, "nginx is missing (apt-get install nginx)", "nginx")
	testenv.LookPath(t, "curl is missing (apt-get install curl)", "curl")
	port := freePort(t)
	cmd := exec.Command("bash", filepath.Join("..", "..", "scripts", "scale-out.sh"))
	cmd.Env = append(os.Environ(), "TALKSEARCH_SCALE_PORT="+strconv.Itoa(port))
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "failed: 0") || !strings.HasSuffix(strings.TrimSpace(string(out)), "PASS") {
		t.Fatalf("scale-out.sh: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "requests through nginx") {
			t.Log(line)
		}
	}
}

// freePort is a loopback port that was free a moment ago, below 60000 so
// that the replicas' ports after it exist.
func freePort(t *testing.T) int {
	t.Helper()
	for range 20 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		if port < 60000 {
			return port
		}
	}
	t.Fatal("no free port below 60000")
	return 0
}
