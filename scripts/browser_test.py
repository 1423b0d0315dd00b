"""Open every page of the built site (_docs/) in headless Chromium, as a reader would, and check it.

    python scripts/browser_test.py [--docs _docs] [--install]   # check the site
    python scripts/browser_test.py --self-test                  # plant one fault of each kind, check each is caught

The site is served from 127.0.0.1 by Python's http.server; Playwright drives the system's Chromium (Debian's
`chromium`: no browser is downloaded; --install apt-gets it when missing). The pages are those of the index's sidebar,
one per notebook of nbs/sidebar.yml. Each must have a title and a heading, every <img> loaded, no failed request, HTTP
error, console error or JS exception, no cell output showing an error or a traceback, every internal link answering
HTTP 200 with its #anchor present on the target page, and itself marked current in the sidebar. Screenshots of the
index and of step 4 go to <docs>/screenshots/. Ends with `pages: N passed, N failed`; exit 1 if any page failed.
"""
import argparse, functools, http.server, os, re, shutil, subprocess, sys, tempfile, threading, time
from pathlib import Path
from urllib.parse import urldefrag

from playwright.sync_api import sync_playwright

root = Path(__file__).resolve().parent.parent
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync']  # no network calls
SCREENSHOTS = {'index.html': 'index', 'model_forward_pass.html': 'step04_model_forward_pass'}

def chromium(install):
    "Path of the system's Chromium; with `install`, apt-get Debian's package when it is missing."
    exe = next(filter(None, map(shutil.which, ('chromium', 'chromium-browser', 'google-chrome'))), None)  # Chrome: CI
    if exe or not install: return exe or sys.exit('chromium not found: apt-get install -y chromium, or use --install')
    sudo = [] if os.geteuid() == 0 else ['sudo', '-n']
    for cmd in (['apt-get', 'update'], ['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']):
        print('$', ' '.join(sudo + cmd), flush=True)
        subprocess.run(sudo + cmd, check=True, env={**os.environ, 'DEBIAN_FRONTEND': 'noninteractive'})
    return chromium(False)

class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args): pass

# What a page reports about itself (run in the page)
PAGE_FACTS = r"""() => {
  const traceback = /Traceback \(most recent call last\)|\x1b\[/;  // or raw ANSI codes
  const errorName = /^\s*[A-Za-z_.]*(Error|Exception)\b[^\n]*:/m;  // an exception's name opening a line of stderr
  return {
    title: document.title.trim() && (document.querySelector('h1') || {textContent: ''}).textContent.trim(),
    badImages: [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src),
    errorCells: [...document.querySelectorAll('.cell-output')]
      .filter(o => o.matches('.cell-output-error') || traceback.test(o.textContent)
                   || (o.matches('.cell-output-stderr') && errorName.test(o.textContent)))
      .map(o => o.innerText.slice(0, 200)),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    ids: [...document.querySelectorAll('[id]')].map(e => e.id),
    current: [...document.querySelectorAll('#quarto-sidebar a.active')].map(a => a.href),
    stylesheets: document.styleSheets.length,
  };
}"""

def check_page(page, url, problems):
    "Load `url` in `page`; append what is wrong to `problems`; return the page's facts."
    listeners = {'console': lambda m: m.type == 'error' and problems.append(f'console error: {m.text}'),
                 'pageerror': lambda e: problems.append(f'JS exception: {e}'),
                 'requestfailed': lambda r: problems.append(f'request failed: {r.url} ({r.failure})'),
                 'response': lambda r: r.status >= 400 and problems.append(f'HTTP {r.status} for {r.url}')}
    for event, fn in listeners.items(): page.on(event, fn)
    try:
        page.goto(url, wait_until='load')
        page.evaluate('() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))')  # late decodes settle
        facts = page.evaluate(PAGE_FACTS)
    finally:
        for event, fn in listeners.items(): page.remove_listener(event, fn)
    if not facts['title']: problems.append('no title: <title> or <h1> is empty')
    problems += [f'image not loaded: {src}' for src in facts['badImages']]
    problems += [f'error in a cell output: {text!r}' for text in facts['errorCells']]
    if facts['current'] != [url]: problems.append(f'sidebar does not mark this page as current: {facts["current"]}')
    if not facts['stylesheets']: problems.append('no stylesheet applied')
    return facts

def screenshots(page, folder, stem):
    "The top of the page, its first 6000 pixels, and its second figure: PNGs in `folder`."
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder/f'{stem}.png')
    height = min(page.evaluate('document.documentElement.scrollHeight'), 6000)
    page.screenshot(path=folder/f'{stem}_long.png', full_page=True, clip=dict(x=0, y=0, width=1280, height=height))
    shots = [folder/f'{stem}.png', folder/f'{stem}_long.png']
    figures = page.locator('.cell-output-display img')
    if figures.count() > 1:
        figures.nth(1).scroll_into_view_if_needed()
        page.screenshot(path=folder/f'{stem}_figure.png')
        shots.append(folder/f'{stem}_figure.png')
    return shots

def check_site(docs, exe, shots_dir=None, limit=None):
    "{page name: [problems]} for the pages of the sidebar of `docs`/index.html (the first `limit`), and screenshots."
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(Quiet, directory=str(docs)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f'http://127.0.0.1:{srv.server_address[1]}/'
    results, facts, shots = {}, {}, []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=FLAGS)
        try:
            page = browser.new_page(viewport={'width': 1280, 'height': 1000})
            page.goto(base + 'index.html')
            urls = page.eval_on_selector_all('#quarto-sidebar a[href]', 'as => as.map(a => a.href)')
            for url in list(dict.fromkeys(urldefrag(u)[0] for u in urls))[:limit]:
                name = url[len(base):]
                results[name] = []
                try: facts[url] = check_page(page, url, results[name])
                except Exception as e: results[name].append(f'could not load: {e}'); continue
                if shots_dir and name in SCREENSHOTS: shots += screenshots(page, shots_dir, SCREENSHOTS[name])
            for url, f in list(facts.items()):  # internal links: the target answers 200 and has the #anchor asked for
                for link in f['links']:
                    target, anchor = urldefrag(link)
                    if not target.startswith(base): continue
                    if target not in facts:  # not a page of the sidebar: fetched, not opened
                        r = page.request.get(target)
                        ids = re.findall(r'\bid="([^"]+)"', r.body().decode('utf-8', 'replace'))
                        facts[target] = {'ok': r.ok, 'ids': ids}
                    if not facts[target].get('ok', True): results[url[len(base):]].append(f'broken link: {link}')
                    elif anchor and anchor not in facts[target]['ids']:
                        results[url[len(base):]].append(f'link to a missing anchor: {link}')
        finally:
            browser.close()
            srv.shutdown()
    return results, shots

def sidebar_notebooks():
    "How many notebooks nbs/sidebar.yml lists (one page each)."
    return len(re.findall(r'\.ipynb\b', (root/'nbs/sidebar.yml').read_text()))

def add(snippet): return lambda page: page.replace('</main>', snippet + '</main>', 1)

FAULTS = [  # (the fault, how it is planted in a page's HTML, words the checker's message must have)
    ('missing title', lambda t: re.sub(r'(<h1[^>]*>).*?(</h1>)', r'\1\2', t, count=1, flags=re.S), 'no title'),
    ('broken image', add('<img src="no-such-figure.png" alt="x">'), 'image not loaded'),
    ('error output', add('<div class="cell-output cell-output-error"><pre>NameError: x</pre></div>'), 'error in a'),
    ('traceback in a cell output', add('<div class="cell-output cell-output-stdout"><pre>Traceback (most recent call '
                                       'last):\nValueError: planted</pre></div>'), 'error in a cell'),
    ('broken internal link', add('<a href="no-such-page.html">x</a>'), 'broken link'),
    ('missing anchor', add('<a href="index.html#no-such-anchor">x</a>'), 'missing anchor'),
    ('current page not marked', lambda t: re.sub(r'(id="quarto-sidebar".*?)\bactive\b', r'\1', t, count=1, flags=re.S),
     'does not mark this page'),
    ('JS console error', add('<script>console.error("planted")</script>'), 'console error'),
    ('JS exception', add('<script>throw new Error("planted")</script>'), 'JS exception'),
]

def self_test(docs, exe):
    "Plant each of FAULTS in its own page of a copy of `docs`; 0 if each fails exactly its page, naming the fault."
    clean, _ = check_site(docs, exe, limit=len(FAULTS) + 3)  # the index, a page per fault, and two without
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(shutil.copytree(docs, Path(tmp)/'site', ignore=shutil.ignore_patterns('screenshots')))
        pages = list(clean)[1:len(FAULTS) + 1]  # not the index: the planted missing anchor's link points at it
        for name, (_, plant, _) in zip(pages, FAULTS): (site/name).write_text(plant((site/name).read_text()))
        planted, _ = check_site(site, exe, limit=len(FAULTS) + 3)
    expected = {name: (fault, words) for name, (fault, _, words) in zip(pages, FAULTS)}
    errors = []
    for name, problems in planted.items():
        new = [p for p in problems if p not in clean[name]]
        fault, words = expected.get(name, (None, None))
        if fault and not any(words in p for p in new): errors.append(f'{fault} in {name} not caught (got {new})')
        if not fault and new: errors.append(f'{name} has no planted fault but failed: {new}')
    for name, (fault, _) in expected.items():
        print(f'{"FAIL" if any(name in e for e in errors) else "ok  "} {fault:27} {name}')
    for e in errors: print(f'       - {e}')
    print(f'self-test: {len(FAULTS) - len(errors)} of {len(FAULTS)} planted faults caught, each only on its own page')
    return 1 if errors or len(pages) < len(FAULTS) else 0

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--docs', default=root/'_docs', type=Path, help='the built site (default _docs/)')
    ap.add_argument('--install', action='store_true', help="install Debian's chromium with apt-get if it is missing")
    ap.add_argument('--self-test', action='store_true', help='check that planted faults make exactly their pages fail')
    args = ap.parse_args(argv)
    docs = args.docs.resolve()
    if not (docs/'index.html').exists(): sys.exit(f'no site in {docs}: build it first (python scripts/build_site.py)')
    exe, t0 = chromium(args.install), time.time()
    if args.self_test: return self_test(docs, exe)
    results, shots = check_site(docs, exe, docs/'screenshots')
    missing = sidebar_notebooks() - len(results)
    if missing: print(f'FAIL the sidebar has {len(results)} pages, nbs/sidebar.yml {sidebar_notebooks()} notebooks')
    for name, problems in results.items():
        print(f'{"FAIL" if problems else "ok  "} {name}')
        for p in problems[:20]: print(f'       - {p}')
    for s in shots: print(f'screenshot: {s}')
    failed = sum(map(bool, results.values())) + max(missing, 0)
    print(f'checked {len(results)} pages in {time.time() - t0:.1f} s with {exe}')
    print(f'pages: {len(results) - sum(map(bool, results.values()))} passed, {failed} failed')
    return 1 if failed else 0

if __name__ == '__main__':
    sys.exit(main())
