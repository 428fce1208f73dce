"""The static server of a generated world: DIR/www on 127.0.0.1, each outlet's own
Content-Type (by path prefix), feeds with ``{{BASE}}`` filled in, and the command line every
world's serve.py offers (``--dir DIR [--port P] [--background | --stop]``)."""
import argparse
import io
import json
import os
import signal
import subprocess
import sys
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DEFAULT_TYPE = "text/html; charset=utf-8"
BASE_MARK = b"{{BASE}}"  # where a feed wants the scheme, host and port of the server


class Handler(SimpleHTTPRequestHandler):
    """Serves a world's www folder; `types` and `by_suffix` are set per world."""

    base = ""
    types: list = []  # (path prefix, Content-Type), first match wins
    by_suffix: dict = {}  # file suffix -> Content-Type, checked before the prefixes
    filled = (".xml",)  # files whose {{BASE}} is replaced when served

    def guess_type(self, path):
        suffix = Path(str(path)).suffix
        if suffix in self.by_suffix:
            return self.by_suffix[suffix]
        url = self.path.split("?", 1)[0]
        return next((ctype for prefix, ctype in self.types if url.startswith(prefix)),
                    DEFAULT_TYPE)

    def send_head(self):
        url = self.path.split("?", 1)[0]
        if not url.endswith(self.filled):
            return super().send_head()
        target = Path(self.translate_path(url))
        if not target.is_file():
            self.send_error(404)
            return None
        data = target.read_bytes().replace(BASE_MARK, self.base.encode("ascii"))
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(target))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)

    def log_message(self, format, *args):  # the self-tests fetch thousands of pages
        pass


def make_server(directory, port=0, *, types, by_suffix):
    """A server for DIR/www (not yet serving); its base URL is set on its handler class."""
    handler = type("WorldHandler", (Handler,), {"types": list(types),
                                                "by_suffix": dict(by_suffix)})
    server = ThreadingHTTPServer(("127.0.0.1", port),
                                 partial(handler, directory=str(Path(directory) / "www")))
    handler.base = f"http://127.0.0.1:{server.server_address[1]}"
    return server


def write_local_sources(directory, port):
    """DIR/sources.local.toml: DIR/sources.toml with the real port in place of {PORT}."""
    text = (Path(directory) / "sources.toml").read_text("utf-8").replace("{PORT}", str(port))
    (Path(directory) / "sources.local.toml").write_text(text, "utf-8")


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def foreground(directory, port, make):
    """Serve until interrupted (Ctrl-C, SIGINT or SIGTERM), with DIR/serve.json saying so."""
    server = make(directory, port)
    real = server.server_address[1]
    write_local_sources(directory, real)
    state = Path(directory) / "serve.json"
    state.write_text(json.dumps({"pid": os.getpid(), "port": real}), "utf-8")
    print(f"URL: http://127.0.0.1:{real}/ ; sources: {Path(directory) / 'sources.local.toml'}",
          flush=True)
    # Both end it, even when started from a shell's background job, which ignores SIGINT
    # (an ignored signal stays ignored across exec).
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if state.exists() and json.loads(state.read_text("utf-8")).get("pid") == os.getpid():
            state.unlink()


def background(directory, port, script):
    """Start ``script --dir DIR --port P`` as its own process; return once it listens."""
    state = Path(directory) / "serve.json"
    state.unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, str(Path(script).resolve()), "--dir",
                             str(directory), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    for _ in range(150):
        if state.exists():
            info = json.loads(state.read_text("utf-8"))
            print(f"URL: http://127.0.0.1:{info['port']}/ (pid {info['pid']}) ; "
                  f"sources: {Path(directory) / 'sources.local.toml'}")
            return 0
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    print("serve.py: the server did not start", file=sys.stderr)
    return 1


def stop(directory):
    """End the server DIR/serve.json names and wait until it has cleaned up."""
    state = Path(directory) / "serve.json"
    if not state.exists():
        print("serve.py: no server recorded in", state, file=sys.stderr)
        return 1
    pid = json.loads(state.read_text("utf-8"))["pid"]
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        state.unlink()
    for _ in range(50):
        if not state.exists():
            break
        time.sleep(0.1)
    print(f"stopped pid {pid}")
    return 0


def main(argv, *, script, doc, make):
    """The serve.py command line of a world whose server `make(directory, port)` builds."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--dir", required=True, type=Path)
    parser.add_argument("--port", type=int, default=0)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--background", action="store_true")
    mode.add_argument("--stop", action="store_true")
    args = parser.parse_args(argv)
    if args.stop:
        return stop(args.dir)
    if not (args.dir / "www").is_dir():
        parser.error(f"{args.dir / 'www'} does not exist: run generate.py --out {args.dir} first")
    if args.background:
        return background(args.dir, args.port, script)
    foreground(args.dir, args.port, make)
    return 0
