// The Python side of the sandbox: read the job from fd 3, set the rlimits, drop to the sandbox user,
// install an audit hook (PEP 578) that holds the run's nonce, run the program and then the tests, and
// only when the tests' own last line has run (checked by the hook: the caller must be the harness's
// exec of the test code) write `passed <nonce>` to fd 4. Every other outcome is one line
// `failed|memory|error <detail>` on fd 4. The program can write to fd 4 too, but without the nonce that
// only ever hurts it.
enum SandboxHarness {
  static let source = #"""
    import builtins, json, os, resource, sys

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
            job = json.loads(f.read())
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
        sys.modules.pop("_signal", None)
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
    _main()
    """#
}
