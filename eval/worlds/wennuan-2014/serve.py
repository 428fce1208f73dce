#!/usr/bin/env python3
"""Serve a generated wennuan-2014 world on 127.0.0.1.

    python3 serve.py --dir DIR [--port P] [--background | --stop]

--port 0 (the default) takes a free port. The server writes DIR/sources.local.toml (the sources
with the real port) and DIR/serve.json (its pid and port); --background starts it as its own
process and returns once it listens; --stop ends the server DIR/serve.json names.
"""
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

# The Content-Type each outlet's server sends (first matching prefix wins).
TYPES = [
    ("/gdgrb/html/", "text/html; charset=GB2312"),  # the bytes are GBK; the pages' meta says gbk
    ("/zgw/rss/", "text/xml"),                       # the feed's own declaration says utf-8
    ("/zgw/", "text/html"),                          # no charset: the meta tag says utf-8
    ("/", "text/html; charset=utf-8"),
]
BY_SUFFIX = {".png": "image/png", ".pdf": "application/pdf", ".gif": "image/gif",
             ".txt": "text/plain; charset=utf-8"}


class Handler(SimpleHTTPRequestHandler):
    base = ""

    def guess_type(self, path):
        suffix = Path(str(path)).suffix
        if suffix in BY_SUFFIX:
            return BY_SUFFIX[suffix]
        url = self.path.split("?", 1)[0]
        return next(ctype for prefix, ctype in TYPES if url.startswith(prefix))

    def send_head(self):
        url = self.path.split("?", 1)[0]
        if not url.endswith(".xml"):
            return super().send_head()
        target = Path(self.translate_path(url))
        if not target.is_file():
            self.send_error(404)
            return None
        data = target.read_bytes().replace(b"{{BASE}}", self.base.encode("ascii"))
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(target))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)

    def log_message(self, format, *args):  # the self-test fetches thousands of pages
        pass


def make_server(directory, port=0):
    handler = type("WorldHandler", (Handler,), {})
    server = ThreadingHTTPServer(("127.0.0.1", port),
                                 partial(handler, directory=str(Path(directory) / "www")))
    handler.base = f"http://127.0.0.1:{server.server_address[1]}"
    return server


def write_local_sources(directory, port):
    text = (Path(directory) / "sources.toml").read_text("utf-8").replace("{PORT}", str(port))
    (Path(directory) / "sources.local.toml").write_text(text, "utf-8")


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def foreground(directory, port):
    server = make_server(directory, port)
    real = server.server_address[1]
    write_local_sources(directory, real)
    state = Path(directory) / "serve.json"
    state.write_text(json.dumps({"pid": os.getpid(), "port": real}), "utf-8")
    print(f"URL: http://127.0.0.1:{real}/ ; sources: {Path(directory) / 'sources.local.toml'}",
          flush=True)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if state.exists() and json.loads(state.read_text("utf-8")).get("pid") == os.getpid():
            state.unlink()


def background(directory, port):
    state = Path(directory) / "serve.json"
    state.unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--dir",
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
    state = Path(directory) / "serve.json"
    if not state.exists():
        print("serve.py: no server recorded in", state, file=sys.stderr)
        return 1
    pid = json.loads(state.read_text("utf-8"))["pid"]
    try:
        os.kill(pid, signal.SIGINT)
    except ProcessLookupError:
        state.unlink()
    for _ in range(50):
        if not state.exists():
            break
        time.sleep(0.1)
    print(f"stopped pid {pid}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
        return background(args.dir, args.port)
    foreground(args.dir, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
