// The Python side of the sandbox: read the job from fd 3 (a header line of numbers, then the work dir,
// program and tests as raw UTF-8 — no `json`, whose import with `re` costs more than a HumanEval test
// takes to run), set the rlimits, drop to the sandbox user,
// install an audit hook (PEP 578) that holds the run's nonce, run the program and then the tests, and
// only when the tests' own last line has run (checked by the hook: the caller must be the harness's
// exec of the test code) write `passed <nonce>` to fd 4. Every other outcome is one line
// `failed|memory|error <detail>` on fd 4. The program can write to fd 4 too, but without the nonce that
// only ever hurts it. In script mode (SandboxFusion's `/run_code`) the program runs alone, as
// `python3 file.py` would run it, and the harness exits with the program's own exit code
// (SystemExit(3) → 3; an uncaught exception prints its traceback to stderr and gives 1).
enum SandboxHarness {
  static let source = #"""
    import builtins, os, resource, sys

    def _install(secret, me, tcode, _getframe, _write, _type, _str, _len, _Denied=PermissionError):
        # The audit hook (PEP 578; it cannot be removed) is the only holder of the secret.
        # Blocked while untrusted code runs: whatever could reach the hook's frame (tracing, gc, ctypes,
        # signal handlers, other threads' frames) or leave the sandbox (processes, signals, sockets).
        blocked = frozenset((
            "sys.settrace", "sys.setprofile", "sys._current_frames", "sys._current_exceptions",
            "sys.addaudithook", "gc.get_objects", "gc.get_referrers", "gc.get_referents",
            "os.fork", "os.forkpty", "os.exec", "os.posix_spawn", "os.spawn", "os.system",
            "subprocess.Popen", "os.kill", "os.killpg", "pty.spawn", "os.startfile",
            "sys.remote_exec", "sys.monitoring.register_callback"))
        bad_modules = frozenset(("ctypes", "_ctypes", "signal", "_signal", "_posixsubprocess", "_testcapi",
            "_testinternalcapi", "cffi", "_cffi_backend", "faulthandler"))
        state = [False, None, tcode, False]  # [busy, hook code, test code, tests done]
        def hook(event, args):
            if state[0]:
                return
            state[0] = True
            try:
                if event == "recheck.done":
                    f = _getframe(1)
                    if f.f_code is state[2] and f.f_back is me:
                        state[3] = True
                    return
                if event == "recheck.reveal":
                    f = _getframe(1)
                    if state[3] and f is me and f.f_code is me.f_code:
                        _write(4, secret)
                    return
                if event in blocked or event.startswith("ctypes.") or event.startswith("socket."):
                    raise _Denied("sandbox: %s is not allowed" % event)
                if event == "import" and _type(args[0]) is _str \
                        and args[0].partition(".")[0] in bad_modules:
                    raise _Denied("sandbox: import of %s is not allowed" % args[0])
                if event == "sys._getframe":
                    f = _getframe(1)
                    while f is not None:
                        if f.f_code is state[1]:
                            raise _Denied("sandbox: frame access is not allowed here")
                        f = f.f_back
                elif event == "object.__getattr__" and _len(args) == 2 and args[1] == "tb_frame":
                    if args[0].tb_frame.f_code is state[1]:
                        raise _Denied("sandbox: frame access is not allowed here")
            finally:
                state[0] = False
        state[1] = hook.__code__
        sys.addaudithook(hook)


    def _main():
        _write, _exit, _audit, _getframe = os.write, os._exit, sys.audit, sys._getframe
        _type, _str, _len, _exec, _BaseException = type, str, len, exec, BaseException
        _MemoryError, _SystemExit, _AssertionError = MemoryError, SystemExit, AssertionError
        def out(line):
            try:
                _write(4, (line.replace("\n", " ")[:2000] + "\n").encode("utf-8", "replace"))
            except _BaseException:
                pass
        with os.fdopen(3, "rb") as f:
            raw = f.read()
        head, _, body = raw.partition(b"\n")
        del raw
        h = head.decode("ascii").split()
        n = [int(x) for x in h[3:]]
        a, b = n[8], n[8] + n[9]
        job = {"nonce": h[1], "mode": h[2], "cpu": n[0], "mem": n[1], "nproc": n[2], "fsize": n[3],
               "nofile": n[4], "uid": None if n[5] < 0 else n[5], "gid": n[6],
               "workdir": body[:n[7]].decode("utf-8"),
               "program": body[n[7]:n[7] + a].decode("utf-8", "surrogateescape"),
               "tests": body[n[7] + a:n[7] + b].decode("utf-8", "surrogateescape")}
        del body, head, h
        os.closerange(5, 1 << 16)
        try:
            os.chdir(job["workdir"])
            R = resource
            R.setrlimit(R.RLIMIT_CORE, (0, 0))
            R.setrlimit(R.RLIMIT_CPU, (job["cpu"], job["cpu"]))
            R.setrlimit(R.RLIMIT_FSIZE, (job["fsize"], job["fsize"]))
            R.setrlimit(R.RLIMIT_NOFILE, (job["nofile"], job["nofile"]))
            R.setrlimit(R.RLIMIT_NPROC, (job["nproc"], job["nproc"]))
            if job["uid"] is not None:
                os.setgroups([])
                os.setgid(job["gid"])
                os.setuid(job["uid"])
            R.setrlimit(R.RLIMIT_AS, (job["mem"], job["mem"]))
        except _BaseException as e:
            out("error sandbox setup failed: %s: %s" % (_type(e).__name__, e))
            _exit(0)
        os.environ["HOME"] = os.environ["TMPDIR"] = job["workdir"]
        # Modules untrusted code must not get without an import (which the audit hook checks): the
        # signal module, and what a fork server used to make namespaces (ctypes, _socket, select).
        for name in [m for m in sys.modules if m.partition(".")[0] in _SCRUB]:
            del sys.modules[name]
        if job["mode"] == "script":
            _script(job["program"], out)
        try:
            pcode = compile(job["program"], "<program>", "exec", dont_inherit=True, optimize=0)
            tests = job["tests"] + "\n__recheck_audit__('recheck.done')\n"
            tcode = compile(tests, "<tests>", "exec", dont_inherit=True, optimize=0)
        except _BaseException as e:
            out("failed %s: %s (line %s)" % (
                _type(e).__name__, getattr(e, "msg", e), getattr(e, "lineno", "?")))
            _exit(0)
        test_lines = job["tests"].splitlines()
        prog_lines = job["program"].splitlines()
        secret = ("passed " + job["nonce"] + "\n").encode()
        del job
        pristine = dict(builtins.__dict__)
        _dict = dict
        _flush = [sys.stdout.flush, sys.stderr.flush]

        def flush():
            for fl in _flush:
                try:
                    fl()
                except _BaseException:
                    pass
        me = _getframe()
        _install(secret, me, tcode, _getframe, _write, _type, _str, _len)
        del secret

        def where(exc, filename, lines):
            tb, lineno = exc.__traceback__, None
            while tb is not None:
                if tb.tb_frame.f_code.co_filename == filename:
                    lineno = tb.tb_lineno
                tb = tb.tb_next
            if lineno is None or lineno > _len(lines):
                return None
            return "%s line %d: %s" % (filename.strip("<>"), lineno, lines[lineno - 1].strip())

        def describe(exc):
            try:
                name = _type(exc).__name__
                msg = _str(exc)
            except _BaseException:
                name, msg = "exception", ""
            site = None
            try:
                site = where(exc, "<tests>", test_lines) if _type(exc) is _AssertionError else None
                site = site or where(exc, "<program>", prog_lines) or where(exc, "<tests>", test_lines)
            except _BaseException:
                pass
            text = name + (": " + msg if msg else "")
            return text + (" at " + site if site else "")

        ns = {"__name__": "__main__", "__builtins__": builtins}
        stage = "program"
        try:
            _exec(pcode, ns)
            stage = "tests"
            tns = _dict(ns)
            tns["__builtins__"] = _dict(pristine)
            tns["__recheck_audit__"] = _audit
            _exec(tcode, tns)
        except _MemoryError:
            flush()
            out("memory MemoryError during the " + stage)
            _exit(0)
        except _SystemExit as e:
            flush()
            out("failed SystemExit(%s) raised during the %s, before the tests completed" % (
                e.code if _type(e.code) in (int, _str) or e.code is None else "?", stage))
            _exit(0)
        except _BaseException as e:
            flush()
            out("failed " + describe(e))
            _exit(0)
        _audit("recheck.reveal")
        flush()
        _exit(0)


    def _script(src, out):
        # As `python3 file.py`: __name__ == "__main__", stdin on fd 0, the exit code the program gives.
        _write, _exit, _type, _int, _str, _bool = os.write, os._exit, type, int, str, bool
        _BaseException, _SystemExit, _MemoryError = BaseException, SystemExit, MemoryError
        stderr, me = sys.stderr, sys._getframe()
        _install(b"", me, None, sys._getframe, _write, _type, _str, len)
        ns = {"__name__": "__main__", "__builtins__": builtins}
        rc, memory = 0, False
        try:
            code = compile(src, "<program>", "exec", dont_inherit=True, optimize=0)
            exec(code, ns)
        except _SystemExit as e:
            c = e.code
            if c is None:
                rc = 0
            elif _type(c) is _int or _type(c) is _bool:
                rc = c & 0xFF
            else:
                rc = 1
                try:
                    sys.stdout.flush()
                    stderr.write(_str(c) + "\n")
                except _BaseException:
                    pass
        except _BaseException as e:
            rc, memory = 1, _type(e) is _MemoryError
            tb = e.__traceback__
            if tb is not None and tb.tb_frame is me:
                tb = tb.tb_next  # the harness's own frame is not the program's
            try:
                import traceback, linecache
                linecache.cache["<program>"] = (len(src), None, src.splitlines(True), "<program>")
                traceback.print_exception(_type(e), e, tb, file=stderr)
            except _BaseException:
                try:
                    stderr.write("%s: %s\n" % (_type(e).__name__, e))
                except _BaseException:
                    pass
        for fl in (sys.stdout.flush, stderr.flush):
            try:
                fl()
            except _BaseException:
                pass
        out(("memory MemoryError; exit %d" if memory else "exit %d") % rc)
        _exit(rc)


    _SCRUB = frozenset(("_signal", "signal", "ctypes", "_ctypes", "_socket", "socket", "select"))


    def _zygote():
        # Fork server: a pre-started interpreter that never runs untrusted code itself. Per job the
        # parent sends `J <wall seconds> <netns 0|1>` with five fds (stdin, stdout, stderr, job, result)
        # over the socket on fd 3 (SOCK_SEQPACKET: one message per send); the child becomes PID 1 of a fresh PID namespace (and of a fresh
        # network namespace when asked), takes the fds as 0-4 and runs _main() as a freshly spawned
        # harness would. The zygote enforces the wall clock (SIGKILL to the child ends its whole PID
        # namespace), kills on `K` from the parent, and answers `S <wait status> <killed> <cpu s>`.
        import _socket, select, time
        CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
        calls = _ns_calls()
        own_pidns = os.open("/proc/self/ns/pid", os.O_RDONLY | os.O_CLOEXEC)
        ctrl = _socket.socket(fileno=3)
        space = _socket.CMSG_SPACE(5 * 4)

        def fresh_pidns():
            calls["setns"](own_pidns, CLONE_NEWPID)  # back to our own, so a new one may be made
            calls["unshare"](CLONE_NEWPID)

        try:
            fresh_pidns()
            os.close(os.pidfd_open(os.getpid()))  # Linux 5.3+: how the zygote waits with a deadline
        except BaseException as e:
            ctrl.sendall(("E cannot serve jobs: %s: %s\n" % (type(e).__name__, e)).encode())
            os._exit(1)
        ctrl.sendall(b"R\n")
        while True:
            msg, anc, _flags, _addr = ctrl.recvmsg(256, space)
            if not msg:
                os._exit(0)
            fds = []
            for level, kind, data in anc:
                if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS:
                    fds += [int.from_bytes(data[i:i + 4], sys.byteorder) for i in range(0, len(data) - 3, 4)]
            words = msg.split()
            if words == [b"K"] and not fds:
                continue  # a kill request that arrived after its job had ended
            if words[:1] != [b"J"] or len(fds) != 5:
                for fd in fds:
                    os.close(fd)
                ctrl.sendall(b"S -1 0 0\n")
                continue
            wall, netns = float(words[1]), words[2] == b"1"
            fresh_pidns()
            pid = os.fork()
            if pid == 0:
                try:
                    if netns:
                        calls["unshare"](CLONE_NEWNET)
                    calls.clear()  # drops the last references to ctypes (if used)
                    os.setsid()
                    high = [_dup_high(fd) for fd in fds]
                    for fd in fds:
                        os.close(fd)
                    ctrl.close()
                    os.close(own_pidns)
                    for target, fd in enumerate(high):
                        os.dup2(fd, target)
                        os.close(fd)
                    _main()
                finally:
                    os._exit(70)
            for fd in fds:
                os.close(fd)
            pidfd = os.pidfd_open(pid)
            deadline = time.monotonic() + wall
            killed = 0
            while True:
                left = deadline - time.monotonic()
                if left <= 0 and not killed:
                    os.kill(pid, 9)
                    killed = 1
                ready = select.select([pidfd, ctrl], [], [], None if killed else left)[0]
                if pidfd in ready:
                    break
                if ctrl in ready:
                    if not ctrl.recv(16):
                        os.kill(pid, 9)
                        os._exit(0)
                    if not killed:
                        os.kill(pid, 9)
                        killed = 2
            _, status, usage = os.wait4(pid, 0)
            os.close(pidfd)
            try:  # whatever outlived a job's PID namespace was killed with it and is reparented here
                while os.waitpid(-1, os.WNOHANG)[0] > 0:
                    pass
            except ChildProcessError:
                pass
            ctrl.sendall(b"S %d %d %.6f\n" % (status, killed, usage.ru_utime + usage.ru_stime))


    def _ns_calls():
        # unshare(2)/setns(2): os.unshare/os.setns from Python 3.12, ctypes before that.
        if hasattr(os, "unshare"):
            return {"unshare": os.unshare, "setns": os.setns}
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        def checked(f):
            def call(*args):
                if f(*args) != 0:
                    e = ctypes.get_errno()
                    raise OSError(e, os.strerror(e))
            return call
        return {"unshare": checked(libc.unshare), "setns": checked(libc.setns)}


    def _dup_high(fd):
        # A copy numbered >= 10, so dup2 onto 0-4 never overwrites a received fd not yet placed.
        copies = []
        while True:
            c = os.dup(fd)
            if c >= 10:
                for x in copies:
                    os.close(x)
                return c
            copies.append(c)

    if sys.argv[1:] == ["zygote"]:
        _zygote()
    else:
        _main()
    """#
}
