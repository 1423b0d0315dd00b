"""Open every page of the built site (_docs/) in headless Chromium, as a reader would, and check it.

    python scripts/browser_test.py [--docs _docs] [--install]

The site is served from 127.0.0.1 by Python's http.server; Chromium is driven through the DevTools protocol. For each
page of nbs/sidebar.yml: it has a title and a heading, every <img> loaded (naturalWidth > 0), every stylesheet, image
and script it asked for came back (no HTTP error, no failed request, no console error or JS exception), no cell output
shows an error or a traceback, and every internal link resolves (HTTP 200, and its #anchor exists on the page it points
at). Screenshots of the index and of step 4 go to <docs>/screenshots/. With --install, Debian's chromium is installed
with apt-get when it is missing. Ends with one line `pages: N passed, N failed`; exit 1 if any page failed.
"""
import argparse, base64, functools, http.server, json, os, re, shutil, subprocess, sys, tempfile, threading, time
import urllib.error, urllib.request
from pathlib import Path
from urllib.parse import urljoin, urldefrag, unquote

import websocket  # websocket-client

root = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root/'scripts'))
from build_site import sidebar_entries, sidebar_pages, page_name  # noqa: E402

CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                  '--disable-component-update', '--disable-sync', '--no-first-run', '--no-default-browser-check',
                  '--hide-scrollbars', '--mute-audio', '--remote-debugging-port=0', '--remote-allow-origins=*']
SCREENSHOTS = {'index.ipynb': 'index.png', '04_model_forward_pass.ipynb': 'step04_model_forward_pass.png'}

def find_chromium():
    for name in ('chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'):
        if shutil.which(name): return shutil.which(name)

def install_chromium():
    "Install Debian's chromium with apt-get (we run as root), saying what it does."
    cmds = [['apt-get', 'update'], ['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']]
    if os.geteuid() != 0: cmds = [['sudo', '-n'] + c for c in cmds]
    for c in cmds:
        print('$', ' '.join(c), flush=True)
        r = subprocess.run(c, env={**os.environ, 'DEBIAN_FRONTEND': 'noninteractive'}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        print('\n'.join(r.stdout.splitlines()[-3:]))
        if r.returncode: sys.exit(f'`{" ".join(c)}` failed (exit {r.returncode}); install chromium by hand')

# ---------------------------------------------------------------------------------------------------------------------

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args): pass

class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)): super().handle_error(request, client_address)

def serve(folder):
    "Serve `folder` on a free port of 127.0.0.1 from a daemon thread; returns (server, base URL)."
    srv = QuietServer(('127.0.0.1', 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f'http://127.0.0.1:{srv.server_address[1]}/'

class Chromium:
    "A headless Chromium with its own fresh profile, and one tab driven through the DevTools protocol."
    def __init__(self, exe, width=1280, height=1000):
        self.profile = tempfile.mkdtemp(prefix='koemorph-chromium-')
        self.log = Path(tempfile.mkstemp(prefix='koemorph-chromium-', suffix='.log')[1])  # its stderr (a pipe could fill up)
        with open(self.log, 'w') as log:
            self.proc = subprocess.Popen([exe, *CHROMIUM_FLAGS, f'--user-data-dir={self.profile}', f'--window-size={width},{height}', 'about:blank'],
                                         stdout=subprocess.DEVNULL, stderr=log)
        self.ws = None
        try: self._connect(width, height)
        except BaseException: self.close(); raise

    def _connect(self, width, height):
        port_file, t0 = Path(self.profile)/'DevToolsActivePort', time.time()
        page = None
        while page is None:
            if self.proc.poll() is not None: raise RuntimeError(f'chromium exited ({self.proc.returncode}): {self.log.read_text()[-2000:]}')
            if time.time() - t0 > 30: raise RuntimeError('chromium did not open its DevTools port with a tab within 30 s')
            if port_file.exists() and len(port_file.read_text().split()) >= 2:
                port = int(port_file.read_text().split()[0])
                targets = json.load(urllib.request.urlopen(f'http://127.0.0.1:{port}/json/list', timeout=10))
                page = next((t for t in targets if t['type'] == 'page'), None)
            if page is None: time.sleep(0.1)
        self.ws = websocket.create_connection(page['webSocketDebuggerUrl'], timeout=30, suppress_origin=True)
        self.next_id, self.events = 0, []
        for domain in ('Page', 'Runtime', 'Network', 'Log'): self.send(f'{domain}.enable')
        self.send('Emulation.setDeviceMetricsOverride', width=width, height=height, deviceScaleFactor=1, mobile=False)

    def send(self, method, timeout=30, **params):
        "Call a DevTools method and return its result; events that arrive meanwhile are kept in self.events."
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({'id': my_id, 'method': method, 'params': params}))
        t0 = time.time()
        while True:
            if time.time() - t0 > timeout: raise TimeoutError(f'{method}: no answer in {timeout} s')
            msg = json.loads(self.ws.recv())
            if msg.get('id') == my_id:
                if 'error' in msg: raise RuntimeError(f'{method}: {msg["error"]}')
                return msg.get('result', {})
            if 'method' in msg: self.events.append(msg)

    def wait_event(self, method, timeout=30):
        t0 = time.time()
        while True:
            for i, e in enumerate(self.events):
                if e['method'] == method: return self.events.pop(i)
            if time.time() - t0 > timeout: raise TimeoutError(f'no {method} in {timeout} s')
            msg = json.loads(self.ws.recv())
            if 'method' in msg: self.events.append(msg)

    def open(self, url, timeout=30):
        "Load `url`; return the events of the load (requests, console, exceptions)."
        self.events = []
        self.send('Page.navigate', url=url)
        self.wait_event('Page.loadEventFired', timeout)
        # let late image decodes and requests settle
        self.evaluate('new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))', await_promise=True)
        evts, self.events = self.events, []
        return evts

    def evaluate(self, expr, await_promise=False):
        res = self.send('Runtime.evaluate', expression=expr, returnByValue=True, awaitPromise=await_promise)
        if 'exceptionDetails' in res: raise RuntimeError(f'page script failed: {res["exceptionDetails"]}')
        return res['result'].get('value')

    def screenshot(self, path, full_height_max=None):
        "PNG of the viewport, or of the page's top `full_height_max` pixels."
        params = {'format': 'png'}
        if full_height_max:
            h = min(self.evaluate('document.documentElement.scrollHeight'), full_height_max)
            w = self.evaluate('document.documentElement.clientWidth')
            params.update(captureBeyondViewport=True, clip={'x': 0, 'y': 0, 'width': w, 'height': h, 'scale': 1})
        data = self.send('Page.captureScreenshot', timeout=60, **params)['data']
        Path(path).write_bytes(base64.b64decode(data))

    def close(self):
        if self.ws is not None: self.ws.close()
        self.proc.terminate()
        try: self.proc.wait(10)
        except subprocess.TimeoutExpired: self.proc.kill(); self.proc.wait()
        for _ in range(50):  # its helper processes may still be writing the profile for a moment
            shutil.rmtree(self.profile, ignore_errors=True)
            if not os.path.exists(self.profile): break
            time.sleep(0.1)
        self.log.unlink(missing_ok=True)

# What each page reports about itself (run in the page)
PAGE_FACTS = r"""(() => {
  const outputs = [...document.querySelectorAll('.cell-output')];
  // an error output, a traceback anywhere, an exception's name opening a line of stderr, or raw ANSI codes left in the text
  const traceback = /Traceback \(most recent call last\)|\x1b\[/;
  const errorName = /^\s*[A-Za-z_.]*(Error|Exception)\b[^\n]*:/m;
  return {
    title: document.title,
    h1: (document.querySelector('h1.title') || {}).textContent || '',
    images: [...document.images].map(i => ({src: i.currentSrc || i.src, ok: i.complete && i.naturalWidth > 0, w: i.naturalWidth})),
    errorCells: outputs.filter(o => o.matches('.cell-output-error') || o.querySelector('.ansi-red-fg, .error, .traceback')
                                   || traceback.test(o.textContent)
                                   || (o.matches('.cell-output-stderr') && errorName.test(o.textContent)))
                       .map(o => o.innerText.slice(0, 300)),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    ids: [...document.querySelectorAll('[id]')].map(e => e.id),
    activeSidebar: [...document.querySelectorAll('.sidebar a.active')].map(a => a.getAttribute('href')),
    stylesheets: [...document.styleSheets].map(s => s.href).filter(Boolean),
    cells: document.querySelectorAll('.cell').length,
  };
})()"""

def http_status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r: return r.status
    except urllib.error.HTTPError as e: return e.code
    except Exception: return None

def check_site(docs, exe, shots_dir):
    pages = sidebar_pages(sidebar_entries(root/'nbs'))
    srv, base = serve(docs)
    browser = Chromium(exe)
    results, ids_of, links_of, shots = {}, {}, {}, []
    try:
        for rel in pages:
            name = page_name(rel)
            url = urljoin(base, name)
            problems = []
            t0 = time.time()
            try:
                status = http_status(url)
                if status != 200: problems.append(f'HTTP {status}')
                events = browser.open(url)
                facts = browser.evaluate(PAGE_FACTS)
            except Exception as e:
                results[name] = (rel, [f'could not load: {e}'], {}); continue
            if not facts['title'].strip() or not facts['h1'].strip(): problems.append(f'no title (title={facts["title"]!r}, h1={facts["h1"]!r})')
            bad = [i['src'] for i in facts['images'] if not i['ok']]
            if bad: problems.append(f'{len(bad)} image(s) not loaded: {bad[:5]}')
            for c in facts['errorCells']: problems.append(f'error in a cell output: {c[:200]!r}')
            if len(facts['activeSidebar']) != 1 or not facts['activeSidebar'][0].endswith(name.split('/')[-1]):
                problems.append(f'sidebar does not mark this page as current: {facts["activeSidebar"]}')
            if not facts['stylesheets']: problems.append('no stylesheet applied')
            for e in events:
                m, p = e['method'], e.get('params', {})
                if m == 'Network.responseReceived' and p['response']['status'] >= 400:
                    problems.append(f'HTTP {p["response"]["status"]} for {p["response"]["url"]}')
                elif m == 'Network.loadingFailed' and not p.get('canceled'):
                    problems.append(f'request failed: {p.get("errorText")} ({p.get("type")})')
                elif m == 'Runtime.exceptionThrown':
                    problems.append(f'JS exception: {p["exceptionDetails"].get("text")}')
                elif m == 'Log.entryAdded' and p['entry']['level'] == 'error':
                    problems.append(f'console error: {p["entry"]["text"]} {p["entry"].get("url", "")}')
                elif m == 'Runtime.consoleAPICalled' and p['type'] == 'error':
                    problems.append(f'console.error: {p["args"][:1]}')
            ids_of[url] = set(facts['ids'])
            links_of[url] = facts['links']
            if rel in SCREENSHOTS:
                shots_dir.mkdir(parents=True, exist_ok=True)
                top = shots_dir/SCREENSHOTS[rel]
                browser.screenshot(top)
                long = top.with_name(top.stem + '_long.png')
                browser.screenshot(long, full_height_max=6000)
                shots += [top, long]
                if browser.evaluate("(() => { const i = document.querySelectorAll('.cell-output-display img')[1]; "
                                    "if (i) i.scrollIntoView({block: 'center'}); return !!i; })()"):
                    fig = top.with_name(top.stem + '_figure.png')
                    browser.screenshot(fig)
                    shots.append(fig)
            results[name] = (rel, problems, {'images': len(facts['images']), 'links': len(facts['links']), 'cells': facts['cells'],
                                             'seconds': time.time() - t0})
        # internal links: each target answers 200 and has the #anchor the link asks for
        status_of = {}
        for url, links in links_of.items():
            name = url[len(base):]
            for link in links:
                if not link.startswith(base): continue
                target, frag = urldefrag(link)
                if target not in status_of: status_of[target] = http_status(target)
                if status_of[target] != 200:
                    results[name][1].append(f'broken link: {link} (HTTP {status_of[target]})'); continue
                if frag:
                    if target not in ids_of:
                        body = urllib.request.urlopen(target, timeout=10).read().decode('utf-8', 'replace')
                        ids_of[target] = set(re.findall(r'\bid="([^"]+)"', body))
                    if unquote(frag) not in ids_of[target]:
                        results[name][1].append(f'link to a missing anchor: {link}')
    finally:
        browser.close()
        srv.shutdown()
    return results, shots

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--docs', default=str(root/'_docs'), help='the built site (default _docs/)')
    ap.add_argument('--install', action='store_true', help='install Debian\'s chromium with apt-get if it is missing')
    args = ap.parse_args(argv)
    docs = Path(args.docs).resolve()
    if not (docs/'index.html').exists(): sys.exit(f'no site in {docs}: build it first with `python scripts/build_site.py`')
    exe = find_chromium()
    if not exe and args.install:
        print('chromium is not installed: installing it with apt-get')
        install_chromium()
        exe = find_chromium()
    if not exe: sys.exit('chromium not found: `apt-get install -y chromium`, or run with --install')
    t0 = time.time()
    results, shots = check_site(docs, exe, docs/'screenshots')
    failed = 0
    for name, (rel, problems, info) in results.items():
        mark = 'ok  ' if not problems else 'FAIL'
        failed += bool(problems)
        detail = f"{info.get('cells', 0)} cells, {info.get('images', 0)} images, {info.get('links', 0)} links" if info else ''
        print(f'{mark} {name:32} {detail}')
        for p in problems[:20]: print(f'       - {p}')
        if len(problems) > 20: print(f'       - ... and {len(problems) - 20} more')
    for s in shots: print(f'screenshot: {s}')
    print(f'checked {len(results)} pages in {time.time() - t0:.1f} s with {exe}')
    print(f'pages: {len(results) - failed} passed, {failed} failed')
    return 1 if failed else 0

if __name__ == '__main__':
    sys.exit(main())
