"""Serve the tiny world (DIR/www) on 127.0.0.1 and write DIR/sources.local.toml.

    python3 serve.py --dir DIR --port 0 [--background]   # 0 = a free port
    python3 serve.py --dir DIR --stop
"""

from __future__ import annotations

import argparse
import functools
import os
import signal
import socket
import subprocess
import sys
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class Handler(SimpleHTTPRequestHandler):
    """Static files with the feed's marker replaced and a charset on every type."""

    def do_GET(self) -> None:
        path = Path(self.directory) / self.path.split("?")[0].lstrip("/")
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes().replace(b"__BASE__", self.server.base.encode())
        kind = "application/rss+xml" if path.suffix == ".xml" else "text/html"
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_sources(folder: Path, port: int) -> None:
    text = (folder / "sources.toml").read_text(encoding="utf-8").replace("{PORT}", str(port))
    (folder / "sources.local.toml").write_text(text, encoding="utf-8")


def serve(folder: Path, port: int) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", port),
                                 functools.partial(Handler, directory=str(folder / "www")))
    server.base = f"http://127.0.0.1:{port}"
    server.serve_forever()


def background(folder: Path, port: int) -> None:
    child = subprocess.Popen([sys.executable, __file__, "--dir", str(folder), "--port", str(port)],
                             start_new_session=True, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    (folder / "serve.pid").write_text(str(child.pid))
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def stop(folder: Path) -> None:
    pid_file = folder / "serve.pid"
    if pid_file.exists():
        os.kill(int(pid_file.read_text()), signal.SIGTERM)
        pid_file.unlink()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--background", action="store_true")
    parser.add_argument("--stop", action="store_true")
    args = parser.parse_args()
    if args.stop:
        stop(args.dir)
        sys.exit(0)
    chosen = args.port or free_port()
    write_sources(args.dir, chosen)
    if args.background:
        background(args.dir, chosen)
        print(f"URL: http://127.0.0.1:{chosen}/")
    else:
        serve(args.dir, chosen)
