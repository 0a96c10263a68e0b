"""`newsgen serve`: build, serve build/ on 127.0.0.1, rebuild when an input changes, reload the page.

Changes are found by polling modification times (no dependency). HTML responses get a tiny
script that polls `/__newsgen_reload`; the number it returns goes up after each rebuild, and the
page reloads when it sees a new one. That endpoint and script exist only in this server: nothing
of it is written into build/.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from newsgen.cache import CACHE_DIR, spare_path
from newsgen.lock import ProjectLock, try_lock, work_folder
from newsgen.site.build import install_bundle, stale_search
from newsgen.site.search import BUNDLE_FOLDER, BackgroundIndex, SearchIndexError, find_pagefind

RELOAD_PATH = "/__newsgen_reload"
WATCHED = ("seeds", "articles", "templates", "registry", "newsgen.yaml")
POLL_SECONDS = 0.5
RELOAD_SCRIPT = (
    "<script>(function(){var v=null;setInterval(function(){"
    f"fetch('{RELOAD_PATH}',{{cache:'no-store'}}).then(function(r){{return r.text()}})"
    ".then(function(t){if(v===null){v=t}else if(t!==v){location.reload()}})"
    ".catch(function(){})},1000)})();</script>"
)

Snapshot = dict[str, tuple[int, int]]
_DROPPINGS = ("~", ".swp", ".tmp")  # editor backups and temporary files


def snapshot(root: Path, watched: Iterable[str] = WATCHED) -> Snapshot:
    """Modification time (ns) and size of every watched file under `root`, by relative path.

    Hidden files and folders (`articles/.machine/`, which only the build writes), editor
    droppings and missing inputs are left out. scandir gives each entry's type with its name,
    so a poll of a 10,000-article archive costs one stat per file (a fifth of what globbing did:
    the server polls twice a second).
    """
    state: Snapshot = {}
    for name in watched:
        top = root / name
        if top.is_file():
            _add(state, name, top)
            continue
        stack = [(str(top), name)] if top.is_dir() else []
        while stack:
            folder, prefix = stack.pop()
            try:
                with os.scandir(folder) as entries:
                    for entry in entries:
                        if entry.name.startswith("."):
                            continue
                        rel = f"{prefix}/{entry.name}"
                        if entry.is_dir(follow_symlinks=False):
                            stack.append((entry.path, rel))
                        elif not entry.name.endswith(_DROPPINGS) and entry.is_file():
                            _add(state, rel, entry)
            except OSError:  # removed while we looked: the next poll sees it gone
                continue
    return state


def _add(state: Snapshot, rel: str, file: Path | os.DirEntry[str]) -> None:
    try:
        info = file.stat()
    except OSError:
        return
    state[rel] = (info.st_mtime_ns, info.st_size)


def changed_paths(old: Snapshot, new: Snapshot) -> list[str]:
    """The files added, removed or modified between two snapshots, sorted."""
    return sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))


class SearchCatchUp:
    """Brings the served site's search index up to date after a build that left it stale
    (`render_site(search_later=True)`): Pagefind runs in its own process while the server goes
    on serving and watching. The next build cancels it (that build changes the pages), then
    starts it again."""

    def __init__(self, site: Path, spare: Path | None = None, lock: Path | None = None) -> None:
        self.site = site
        self.spare = spare  # the build's spare copy (`render_site`), which gets the bundle too
        self.lock = lock  # the project's lock folder (lock.py), held while Pagefind runs
        # Pagefind's run (indexing into a folder of its own beside the site, `bundle.parent`),
        # the manifest it indexes, when it started, and the project lock
        self.job: tuple[BackgroundIndex, bytes, float, ProjectLock | None] | None = None
        self.waiting = False  # another process was building: start again when it is done

    def start(self) -> None:
        self.cancel()
        self.waiting = False
        stale = stale_search(self.site)
        binary = find_pagefind() if stale is not None else None
        if stale is None or binary is None:
            return
        held = try_lock(self.lock) if self.lock is not None else None
        if self.lock is not None and held is None:
            self.waiting = True  # a `newsgen build` of this project is running: see `poll`
            return
        made_from, pages = stale
        work = work_folder(self.site, "search-")
        try:
            index = BackgroundIndex(binary, self.site, pages, work / BUNDLE_FOLDER)
        except OSError as err:
            _clear(work, held)
            print(f"error: search: cannot run {binary}: {err}", file=sys.stderr)
            return
        self.job = (index, made_from, time.perf_counter(), held)
        print("search: updating the index in the background", file=sys.stderr)

    def poll(self) -> bool:
        """Put the new index in place if Pagefind is done; whether it was. When another process
        held the project lock at `start`, try again (its build may have left the index stale)."""
        if self.waiting:
            self.start()
            return False
        if self.job is None or not self.job[0].done():
            return False
        index, made_from, started, held = self.job
        self.job = None
        installed = False
        try:
            index.result()
            installed = install_bundle(self.site, made_from, index.bundle, self.spare)
        except (SearchIndexError, OSError) as err:
            print(f"error: {err}; the search index is the previous one until the next build", file=sys.stderr)
        finally:
            _clear(index.bundle.parent, held)
        if installed:
            print(f"search: index updated ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
        return installed

    def cancel(self) -> None:
        self.waiting = False
        if self.job is not None:
            index, held = self.job[0], self.job[3]
            self.job = None
            index.cancel()
            _clear(index.bundle.parent, held)


def _clear(work: Path, held: ProjectLock | None) -> None:
    """The end of a Pagefind run: its work folder goes, and builds may start again."""
    shutil.rmtree(work, ignore_errors=True)
    if held is not None:
        held.release()


class Watcher:
    """Rebuilds when a watched input changes; `version` counts the builds (for the reload poll)."""

    def __init__(self, root: Path, build: Callable[[], None], search: SearchCatchUp | None = None) -> None:
        self.root = root
        self.build = build
        self.search = search
        self.version = 0
        self.state: Snapshot = {}
        self._preparing: threading.Thread | None = None

    def prepare(self, work: Callable[[], None]) -> None:
        """Run `work` in a thread now, while nothing happens; the next build waits for it (a
        build forks processes, which must not happen in the middle of it)."""
        def run() -> None:
            try:
                work()
            except Exception:  # whatever failed, the build that needs it will say so
                pass
        self._preparing = threading.Thread(target=run, name="newsgen-prepare", daemon=True)
        self._preparing.start()

    def rebuild(self) -> None:
        """Build, then take the snapshot: what the build itself writes (articles/, registry/)
        is part of the new baseline, not a change that would trigger another build."""
        if self._preparing is not None:
            self._preparing.join()
            self._preparing = None
        if self.search is not None:
            self.search.cancel()
        try:
            self.build()
        except Exception as err:  # a broken template must not stop the server
            print(f"error: build failed: {err}", file=sys.stderr)
        self.state = snapshot(self.root)
        self.version += 1
        if self.search is not None:
            self.search.start()

    def check(self) -> list[str]:
        """Rebuild if something changed since the last build, else take a finished search
        index; return what changed."""
        changes = changed_paths(self.state, snapshot(self.root))
        if changes:
            print(f"changed: {', '.join(changes[:5])}{' ...' if len(changes) > 5 else ''}", file=sys.stderr)
            self.rebuild()
        elif self.search is not None:
            self.search.poll()
        return changes


class _Handler(http.server.SimpleHTTPRequestHandler):
    watcher: Watcher

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = urlsplit(self.path).path
        if path == RELOAD_PATH:
            self._send(str(self.watcher.version).encode(), "text/plain; charset=utf-8")
            return
        file = Path(self.translate_path(self.path))
        if file.is_dir():
            if not path.endswith("/"):
                super().do_GET()  # http.server redirects to the folder URL
                return
            file = file / "index.html"
        if file.suffix == ".html" and file.is_file():
            html = file.read_bytes()
            marker = html.rfind(b"</body>")
            script = RELOAD_SCRIPT.encode()
            html = html[:marker] + script + html[marker:] if marker >= 0 else html + script
            self._send(html, "text/html; charset=utf-8")
            return
        if not file.exists() and (Path(self.directory) / "404.html").is_file() and unquote(path) != "/":
            self._send((Path(self.directory) / "404.html").read_bytes(), "text/html; charset=utf-8", 404)
            return
        super().do_GET()

    def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quieter than the default
        pass


def make_server(site: Path, watcher: Watcher, port: int) -> http.server.ThreadingHTTPServer:
    """An http server for `site` on 127.0.0.1:`port` (0 = any free port)."""
    handler = type("Handler", (_Handler,), {"watcher": watcher})
    return http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                           functools.partial(handler, directory=str(site)))


def serve(root: Path, site: Path, build: Callable[[], None], port: int = 8000,
          prepare: Callable[[], None] | None = None) -> None:
    """Build, serve and watch until interrupted (Ctrl-C). `prepare` runs after the first build,
    while the server waits for edits (loading the language model: the first edit of a seed
    then does not wait for it)."""
    watcher = Watcher(root, build, SearchCatchUp(site, spare_path(root, site), root / CACHE_DIR))
    watcher.rebuild()
    if prepare is not None:
        watcher.prepare(prepare)
    server = make_server(site, watcher, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(f"serving {site} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)", file=sys.stderr)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            watcher.check()
    except KeyboardInterrupt:
        pass
    finally:
        if watcher.search is not None:
            watcher.search.cancel()
        server.shutdown()
        server.server_close()
