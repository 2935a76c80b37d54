package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// privatePostgres is a PostgreSQL server owned by the launcher: its data directory
// is the launcher's, it listens on a Unix socket in a private directory only (no TCP),
// and it dies with the launcher (Pdeathsig), even when the launcher is killed.
type privatePostgres struct {
	socketDir string
	// throwaway is a data directory made for this run alone, removed on stop.
	throwaway string
	cmd       *exec.Cmd
	exited    chan error
}

// database is the PostgreSQL database FerretDB keeps its collections in (a schema per MongoDB database).
const database = "ferretdb"

// ginTwins makes FerretDB's indexes usable. FerretDB v1 creates a B-tree index on
// `((_jsonb->'field'))` for each index it is asked for, but filters with
// `_jsonb->'field' @> value`, an operator no B-tree serves: every query is a sequential
// scan. This event trigger gives each such index a GIN twin over the same expressions,
// which serves `@>`, so an equality on an indexed field (and on _id) becomes an index scan.
// Without fastupdate: its pending list, scanned whole by every read, made a lookup by _id
// take 14 ms instead of 0.05 ms after 100,000 inserts.
const ginTwins = `
CREATE OR REPLACE FUNCTION sif_gin_twin() RETURNS event_trigger LANGUAGE plpgsql AS $fn$
DECLARE
  cmd record;
  idx record;
  cols text;
BEGIN
  FOR cmd IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' AND object_type = 'index' LOOP
    SELECT i.indrelid::regclass AS tbl, i.indnatts AS n, am.amname AS method
      INTO idx
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
      WHERE i.indexrelid = cmd.objid;
    CONTINUE WHEN idx.method <> 'btree' OR pg_get_indexdef(cmd.objid) NOT LIKE '%_jsonb -> %';
    SELECT string_agg('(' || pg_get_indexdef(cmd.objid, k, false) || ')', ', ' ORDER BY k) INTO cols FROM generate_series(1, idx.n) AS k;
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING gin (%s) WITH (fastupdate = off)', 'sif_gin_' || cmd.objid, idx.tbl, cols);
  END LOOP;
END
$fn$;
DROP EVENT TRIGGER IF EXISTS sif_gin_twins;
CREATE EVENT TRIGGER sif_gin_twins ON ddl_command_end WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION sif_gin_twin();
`

// startPostgres initialises dataDir on first use, starts the server and prepares the
// database FerretDB uses. durable=false trades crash safety for speed (fsync off): for
// throwaway data such as a test run's.
func startPostgres(ctx context.Context, logger *slog.Logger, dataDir string, durable bool) (*privatePostgres, error) {
	bin, err := postgresBinDir()
	if err != nil {
		return nil, err
	}
	owner, err := serverOwner()
	if err != nil {
		return nil, err
	}

	throwaway := ""
	if !durable {
		// Throwaway data goes to the system's temp folder, beside the socket: the project's
		// folder may be one the server's account cannot enter (a clone in a root-only
		// 0700 folder such as mktemp's), and nothing in it needs to outlive the run.
		if dataDir, err = os.MkdirTemp("", "sif-pgdata-"); err != nil {
			return nil, err
		}
		throwaway = dataDir
	} else if err = os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, err
	} else if err = owner.chown(dataDir); err != nil {
		return nil, err
	} else if !owner.canEnter(dataDir) {
		// Kept data must outlive a restart (the supervisor's, the fault tests'), so it moves to a
		// place of its own in the temp folder, the same for the same directory every time.
		instead := filepath.Join(os.TempDir(), fmt.Sprintf("sif-pgdata-%x", sha256.Sum256([]byte(dataDir)))[:len("sif-pgdata-")+16])
		logger.Warn("the postgres account cannot enter the data directory; PostgreSQL keeps its data in the temp folder", "dir", dataDir, "instead", instead)
		if dataDir = instead; os.MkdirAll(dataDir, 0o700) != nil {
			return nil, fmt.Errorf("cannot create %s", dataDir)
		}
	}
	// The socket path must stay under the kernel's 107 bytes whatever the project's path.
	socketDir, err := os.MkdirTemp("", "sif-pg-")
	if err != nil {
		return nil, err
	}
	for _, dir := range []string{dataDir, socketDir} {
		if err = owner.chown(dir); err != nil {
			return nil, err
		}
	}

	if _, err = os.Stat(filepath.Join(dataDir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		logger.Info("initialising PostgreSQL", "dir", dataDir)
		initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync")
		initdb.SysProcAttr = owner.attr()
		initdb.Dir = dataDir
		if out, err := initdb.CombinedOutput(); err != nil {
			if errors.Is(err, os.ErrPermission) {
				return nil, fmt.Errorf("initdb: the postgres account cannot enter %s (%w): put the project where that account can reach it, or run as another user than root", dataDir, err)
			}
			return nil, fmt.Errorf("initdb: %w\n%s", err, out)
		}
	}

	args := []string{
		"-D", dataDir,
		"-c", "listen_addresses=",
		"-c", "unix_socket_directories=" + socketDir,
		"-c", "unix_socket_permissions=0700",
		"-c", fmt.Sprintf("max_connections=%d", poolMaxConns+20),
		"-c", "shared_buffers=128MB",
		"-c", "work_mem=16MB",
		// FerretDB's statements are prepared with the field name as a parameter ($1 in
		// `_jsonb->$1 @> $2`): a generic plan cannot match the GIN twins' expressions, and
		// once chosen on a small table it kept a sequential scan at 10,000 tasks (77 ms).
		"-c", "plan_cache_mode=force_custom_plan",
		"-c", "log_min_messages=warning",
		"-c", "logging_collector=off",
	}
	// Kept data commits only once its WAL is on disk (about 0.25 ms here): with
	// synchronous_commit off, the fault suite's killed database lost writes it had
	// acknowledged (a task's notice, written after the task), and the workflow that was
	// told they were done never wrote them again. Throwaway data waits for no disk.
	if !durable {
		args = append(args, "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off")
	}
	pg := &privatePostgres{socketDir: socketDir, throwaway: throwaway, exited: make(chan error, 1)}
	started := make(chan error, 1)
	go func() {
		// Pdeathsig belongs to the thread that forked: keep this goroutine on it while the server lives.
		runtime.LockOSThread()
		cmd := exec.Command(filepath.Join(bin, "postgres"), args...)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		cmd.SysProcAttr = owner.attr()
		cmd.Dir = dataDir
		// Immediate shutdown when the launcher dies; the next start recovers from the WAL.
		cmd.SysProcAttr.Pdeathsig = syscall.SIGQUIT
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		pg.cmd = cmd
		started <- nil
		pg.exited <- cmd.Wait()
	}()
	if err = <-started; err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}

	if err = pg.prepare(ctx); err != nil {
		pg.stop()
		return nil, err
	}
	return pg, nil
}

// poolMaxConns is FerretDB's pool of PostgreSQL connections. FerretDB v1 holds one for
// as long as a cursor has rows left (a list longer than a batch, until the client asks
// for the rest), and an update holds one for its read while it takes another for its
// write. Its default of 50 ran out in a burst of lists and updates, and then every
// request, ping included, waited for ever: the fault suite saw it after a restart, when
// every API and worker retried at once (test/integration/databaseBurst.test.ts).
const poolMaxConns = 200

// url is the database's connection string: the socket directory as host, the trusted local superuser.
func (pg *privatePostgres) url() string {
	return fmt.Sprintf("postgres://postgres@/%s?host=%s", database, pg.socketDir)
}

// poolURL is FerretDB's: the same, with the size of its pool.
func (pg *privatePostgres) poolURL() string {
	return fmt.Sprintf("%s&pool_max_conns=%d", pg.url(), poolMaxConns)
}

// prepare waits until the server accepts connections, then creates the database and the event trigger.
func (pg *privatePostgres) prepare(ctx context.Context) error {
	deadline := time.Now().Add(60 * time.Second)
	var conn *pgx.Conn
	for {
		var err error
		conn, err = pgx.Connect(ctx, fmt.Sprintf("postgres://postgres@/postgres?host=%s", pg.socketDir))
		if err == nil {
			break
		}
		select {
		case e := <-pg.exited:
			return fmt.Errorf("postgres exited while starting: %v", e)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres not ready within 60 s: %w", err)
		}
	}
	var exists bool
	err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", database).Scan(&exists)
	if err == nil && !exists {
		_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{database}.Sanitize())
	}
	_ = conn.Close(ctx)
	if err != nil {
		return err
	}

	conn, err = pgx.Connect(ctx, pg.url())
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, ginTwins)
	return err
}

// stop asks for a fast shutdown (SIGINT) and waits for it, SIGQUIT after 10 s.
func (pg *privatePostgres) stop() {
	defer os.RemoveAll(pg.socketDir)
	if pg.throwaway != "" {
		defer os.RemoveAll(pg.throwaway)
	}
	if pg.cmd == nil || pg.cmd.Process == nil {
		return
	}
	_ = pg.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-pg.exited:
	case <-time.After(10 * time.Second):
		_ = pg.cmd.Process.Signal(syscall.SIGQUIT)
		<-pg.exited
	}
}

// postgresBinDir finds initdb and postgres: on PATH, else Debian's /usr/lib/postgresql/<newest>/bin.
func postgresBinDir() (string, error) {
	if p, err := exec.LookPath("postgres"); err == nil {
		if resolved, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Dir(resolved), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "postgres")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("PostgreSQL not found: install it (Debian: apt-get install postgresql) or put its bin directory on PATH")
}

func versionOf(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// owner is the account the server runs as: PostgreSQL refuses root, so root hands it to `postgres`.
type owner struct {
	uid, gid uint32
	asRoot   bool
}

func serverOwner() (owner, error) {
	if os.Geteuid() != 0 {
		return owner{}, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return owner{}, errors.New("running as root, PostgreSQL needs the `postgres` account to run as (Debian's postgresql package creates it)")
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return owner{uid: uint32(uid), gid: uint32(gid), asRoot: true}, nil
}

// canEnter says whether the server's account can write in dir, every folder above it included.
func (o owner) canEnter(dir string) bool {
	if !o.asRoot {
		return true
	}
	test := exec.Command("/bin/sh", "-c", `test -w "$1" -a -x "$1"`, "sh", dir)
	test.SysProcAttr = o.attr()
	return test.Run() == nil
}

func (o owner) attr() *syscall.SysProcAttr {
	if !o.asRoot {
		return &syscall.SysProcAttr{}
	}
	return &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: o.uid, Gid: o.gid}}
}

func (o owner) chown(dir string) error {
	if !o.asRoot {
		return nil
	}
	return os.Chown(dir, int(o.uid), int(o.gid))
}
